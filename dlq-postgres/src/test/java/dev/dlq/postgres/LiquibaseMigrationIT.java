package dev.dlq.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.postgres.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import org.junit.jupiter.api.Test;

/**
 * dlq's scripts through real Liquibase: dlq's changelog ({@value PostgresSchema#LIQUIBASE_CHANGELOG})
 * included by an application's own changelog ({@code app/changelog.xml} in the test resources), and
 * alone on a schema of its own; then {@link PostgresSchema#migrate} without conflict.
 */
class LiquibaseMigrationIT {
  /** Liquibase logs through java.util.logging; a strong reference keeps the level set. */
  private static final java.util.logging.Logger LIQUIBASE_LOG = java.util.logging.Logger.getLogger("liquibase");

  static {
    // Liquibase 4.30+ sends usage data unless told not to; tests reach only 127.0.0.1
    System.setProperty("liquibase.analytics.enabled", "false");
    System.setProperty("liquibase.showBanner", "false");
    System.setProperty("liquibase.command.showSummaryOutput", "LOG");
    LIQUIBASE_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final TestDatabase db = TestDatabase.get();

  private void update(String changelog, String schema) throws Exception {
    try (Connection c = db.connect()) {
      Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
      database.setDefaultSchemaName(schema);
      new CommandScope(UpdateCommandStep.COMMAND_NAME)
          .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
          .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changelog)
          .execute();
    }
  }

  @Test
  void theAppsChangelogIncludesDlqsIntoTheAppsSchema() throws Exception {
    String app = db.freshSchema("lb_app");
    update("app/changelog.xml", app);
    assertThat(count(app + ".databasechangelog")).as("the app's changeSet and dlq's three")
        .isEqualTo(1 + PostgresSchema.scripts().size());

    SchemaInUse.assertCurrentAndUsable(db, app);
    assertThat(count(app + ".app_orders")).isZero();
    update("app/changelog.xml", app);
    assertThat(count(app + ".databasechangelog")).as("nothing applied twice").isEqualTo(1 + PostgresSchema.scripts().size());
  }

  @Test
  void dlqsChangelogAloneOnASchemaOfItsOwn() throws Exception {
    String dlq = db.freshSchema("lb_dlq");
    update(PostgresSchema.LIQUIBASE_CHANGELOG, dlq);
    SchemaInUse.assertCurrentAndUsable(db, dlq);
  }

  private long count(String table) throws Exception {
    try (Connection c = db.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
