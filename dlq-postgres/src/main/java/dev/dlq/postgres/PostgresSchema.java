package dev.dlq.postgres;

import dev.dlq.postgres.internal.Migrator;
import java.util.List;
import javax.sql.DataSource;

/**
 * Creates and upgrades dlq's tables: versioned SQL scripts in {@code db/migration/dlq}
 * ({@code V1__tasks.sql}, {@code V2__dead_letters.sql}, {@code V3__audit_log.sql}), each applied
 * once, all in one transaction under an advisory lock so that many instances starting together
 * migrate once. Idempotent: calling it again applies nothing. The scripts use unqualified names, so
 * Flyway can run them instead ({@code locations=classpath:db/migration/dlq}, {@code schemas=<schema>}).
 *
 * <pre>{@code
 * PostgresSchema.migrate(dataSource);            // schema "dlq"
 * PostgresSchema.migrate(dataSource, "billing"); // another schema
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class PostgresSchema {
  /** The schema used when none is named. */
  public static final String DEFAULT_SCHEMA = "dlq";

  private PostgresSchema() {}

  /**
   * Migrates schema {@value #DEFAULT_SCHEMA}.
   *
   * @return the scripts applied by this call, oldest first (empty when up to date)
   * @throws dev.dlq.DlqException when the database fails
   */
  public static List<String> migrate(DataSource dataSource) {
    return migrate(dataSource, DEFAULT_SCHEMA);
  }

  /**
   * Migrates {@code schema}, creating it when missing.
   *
   * @return the scripts applied by this call, oldest first (empty when up to date)
   * @throws IllegalArgumentException when {@code schema} is not a plain identifier
   * @throws IllegalStateException when an applied script was changed since
   * @throws dev.dlq.DlqException when the database fails
   */
  public static List<String> migrate(DataSource dataSource, String schema) {
    if (dataSource == null) {
      throw new IllegalArgumentException("dataSource must not be null");
    }
    return Migrator.migrate(dataSource, schema);
  }

  /** The migration scripts in order, as resource names under {@code db/migration/dlq}. */
  public static List<String> scripts() {
    return Migrator.SCRIPTS;
  }
}
