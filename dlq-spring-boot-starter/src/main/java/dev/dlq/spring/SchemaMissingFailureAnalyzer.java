package dev.dlq.spring;

import dev.dlq.postgres.SchemaMissingException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a startup that failed on dlq's missing or outdated schema into Spring Boot's failure report,
 * with the fixes a Spring application has: the {@code dlq.postgres.migrate} setting, or Flyway or
 * Liquibase.
 */
public final class SchemaMissingFailureAnalyzer extends AbstractFailureAnalyzer<SchemaMissingException> {

  /** Made by Spring Boot from {@code META-INF/spring.factories}. */
  public SchemaMissingFailureAnalyzer() {}

  /**
   * The report for {@code cause}.
   *
   * @param rootFailure the failure that stopped the startup
   * @param cause the schema error within it
   * @return what went wrong and how to fix it
   */
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, SchemaMissingException cause) {
    return new FailureAnalysis("dlq's tables are missing or out of date in schema " + cause.schema()
        + " (scripts not applied: " + cause.missingScripts() + "); dlq does not create them unless asked.",
        "Set dlq.postgres.migrate=true to migrate at startup, or apply dlq's scripts with Flyway or Liquibase "
            + "(docs/spring-boot.md, \"Schema\"), or run once: dlq migrate --url <jdbc-url> --schema "
            + cause.schema(), cause);
  }
}
