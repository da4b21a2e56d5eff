package dev.dlq.postgres;

import dev.dlq.postgres.internal.Migrator;
import dev.dlq.postgres.internal.Names;
import java.util.List;
import javax.sql.DataSource;

/**
 * Creates, upgrades and checks dlq's tables: versioned SQL scripts in {@value #LOCATION}
 * ({@code V1__tasks.sql} onwards, listed by {@link #scripts()}), each applied
 * once, all in one transaction under an advisory lock so that many instances starting together
 * migrate once. Idempotent: calling it again applies nothing. dlq runs no DDL unless asked: the
 * providers and the CLI only {@linkplain #verify check} the schema.
 *
 * <p>The scripts use unqualified names and Flyway's naming, so Flyway
 * ({@code locations=classpath:dev/dlq/postgres-migration}, {@code schemas=<schema>}, in a Flyway
 * of their own) or Liquibase ({@value #LIQUIBASE_CHANGELOG}) can apply them instead. Each script
 * records itself in {@code <schema>.dlq_schema_history}, so a schema migrated by either reads as
 * current here.
 *
 * <pre>{@code
 * PostgresSchema.migrate(dataSource);            // schema "dlq"
 * PostgresSchema.migrate(dataSource, "billing"); // another schema
 * PostgresSchema.verify(dataSource, "billing");  // throws SchemaMissingException unless current
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class PostgresSchema {
  /** The schema used when none is named. */
  public static final String DEFAULT_SCHEMA = "dlq";
  /** Where the scripts are on the class path (a Flyway location without {@code classpath:}). */
  public static final String LOCATION = "dev/dlq/postgres-migration";
  /** A Liquibase changelog that applies the scripts, as a class path resource. */
  public static final String LIQUIBASE_CHANGELOG = "dev/dlq/postgres-liquibase/changelog.xml";

  private PostgresSchema() {}

  /**
   * Migrates schema {@value #DEFAULT_SCHEMA}.
   *
   * @param dataSource where
   * @return the scripts applied by this call, oldest first (empty when up to date)
   * @throws IllegalArgumentException when {@code dataSource} is null
   * @throws dev.dlq.DlqException when the database fails
   */
  public static List<String> migrate(DataSource dataSource) {
    return migrate(dataSource, DEFAULT_SCHEMA);
  }

  /**
   * Migrates {@code schema}, creating it when missing.
   *
   * @param dataSource where
   * @param schema which schema; a plain identifier
   * @return the scripts applied by this call, oldest first (empty when up to date)
   * @throws IllegalArgumentException when {@code dataSource} is null or {@code schema} is not a
   *     plain identifier
   * @throws IllegalStateException when an applied script was changed since
   * @throws dev.dlq.DlqException when the database fails
   */
  public static List<String> migrate(DataSource dataSource, String schema) {
    check(dataSource, schema);
    return Migrator.migrate(dataSource, schema);
  }

  /**
   * Checks that every script is recorded as applied in {@code schema}, by this class, Flyway,
   * Liquibase or by hand; changes nothing.
   *
   * @param dataSource where
   * @param schema which schema; a plain identifier
   * @throws SchemaMissingException when dlq's tables are missing or out of date; its message names
   *     the fix
   * @throws IllegalArgumentException when {@code dataSource} is null or {@code schema} is not a
   *     plain identifier
   * @throws dev.dlq.DlqException when the database fails
   */
  public static void verify(DataSource dataSource, String schema) {
    check(dataSource, schema);
    Migrator.verify(dataSource, schema);
  }

  /**
   * The migration scripts in order, as resource names under {@value #LOCATION}.
   *
   * @return the names, oldest first
   */
  public static List<String> scripts() {
    return Migrator.SCRIPTS;
  }

  private static void check(DataSource dataSource, String schema) {
    if (dataSource == null) {
      throw new IllegalArgumentException("dataSource must not be null");
    }
    Names.schema(schema);
  }
}
