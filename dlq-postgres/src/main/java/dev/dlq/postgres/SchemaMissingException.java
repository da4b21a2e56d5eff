package dev.dlq.postgres;

import java.util.List;

/**
 * dlq's tables are missing from a schema, or some of its migration scripts were never applied
 * there. Thrown when a provider or {@link PostgresSchema#verify} opens a schema: dlq runs no DDL
 * unless asked. The message names the fix: {@code PostgresSchema.migrate(dataSource, schema)}, the
 * CLI's {@code dlq migrate --url <jdbc-url> --schema <schema>}, or the scripts through Flyway or
 * Liquibase (docs/postgres.md).
 *
 * <p>Immutable.
 */
public final class SchemaMissingException extends dev.dlq.SchemaMissingException {
  private static final long serialVersionUID = 1L;

  /** The schema that was opened. */
  private final String schema;
  /** The scripts not applied there, oldest first. */
  private final List<String> missingScripts;

  /**
   * An exception whose message names the schema, what is missing and the fix.
   *
   * @param schema the schema that was opened
   * @param missingScripts the scripts not applied there, oldest first (all of them when dlq's
   *     tables are missing altogether)
   */
  public SchemaMissingException(String schema, List<String> missingScripts) {
    super(schema, "PostgresSchema.migrate(dataSource, \"" + schema + "\") or dlq migrate --schema " + schema,
        message(schema, missingScripts));
    this.schema = schema;
    this.missingScripts = List.copyOf(missingScripts);
  }

  /**
   * The schema that was opened.
   *
   * @return the schema
   */
  public String schema() {
    return schema;
  }

  /**
   * The migration scripts not applied in {@link #schema()}, oldest first.
   *
   * @return the scripts, oldest first
   */
  public List<String> missingScripts() {
    return missingScripts;
  }

  private static String message(String schema, List<String> missing) {
    String what = missing.size() == PostgresSchema.scripts().size()
        ? "dlq's tables are missing from schema " + schema
        : "dlq's schema " + schema + " is out of date (not applied: " + String.join(", ", missing) + ")";
    String option = schema.equals(PostgresSchema.DEFAULT_SCHEMA) ? "" : " --schema " + schema;
    String arg = schema.equals(PostgresSchema.DEFAULT_SCHEMA) ? "" : ", \"" + schema + "\"";
    return what + "; dlq does not create them on open. Run PostgresSchema.migrate(dataSource" + arg
        + ") at startup, or once from a shell: dlq migrate --url <jdbc:postgresql://host/db>" + option
        + " (or apply the scripts with Flyway or Liquibase: docs/postgres.md)";
  }
}
