package dev.dlq.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.postgres.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/**
 * dlq's scripts through real Flyway in an application that has its own {@code V1} at Flyway's
 * default location ({@code db/migration/V1__app_orders.sql} in the test resources), then
 * {@link PostgresSchema#migrate} without conflict: the recipes of docs/postgres.md.
 */
class FlywayMigrationIT {
  private static final String DLQ_LOCATION = "classpath:" + PostgresSchema.LOCATION;
  private final TestDatabase db = TestDatabase.get();

  private Flyway appFlyway(String schema) {
    // the application's Flyway with the default location, classpath:db/migration
    return Flyway.configure().dataSource(db.dataSource()).schemas(schema).load();
  }

  @Test
  void theAppsOwnFlywayFindsOnlyItsOwnMigrations() {
    String app = db.freshSchema("fw_app_only");
    assertThat(appFlyway(app).migrate().migrationsExecuted).as("only the app's V1, none of dlq's").isEqualTo(1);
  }

  @Test
  void dlqsScriptsInAFlywayOfTheirOwnOnTheirOwnSchema() throws Exception {
    String app = db.freshSchema("fw_app");
    String dlq = db.freshSchema("fw_dlq");
    assertThat(appFlyway(app).migrate().migrationsExecuted).isEqualTo(1);
    Flyway dlqFlyway = Flyway.configure().dataSource(db.dataSource()).schemas(dlq).locations(DLQ_LOCATION).load();
    assertThat(dlqFlyway.migrate().migrationsExecuted).isEqualTo(PostgresSchema.scripts().size());

    SchemaInUse.assertCurrentAndUsable(db, dlq);
    assertThat(dlqFlyway.migrate().migrationsExecuted).as("Flyway again, after PostgresSchema.migrate").isZero();
    dlqFlyway.validate();
    assertThat(count(app + ".flyway_schema_history")).isEqualTo(1);
    assertThat(count(dlq + ".flyway_schema_history")).isEqualTo(PostgresSchema.scripts().size());
  }

  @Test
  void dlqsScriptsInTheAppsSchemaWithAHistoryTableOfTheirOwn() throws Exception {
    String app = db.freshSchema("fw_shared");
    assertThat(appFlyway(app).migrate().migrationsExecuted).isEqualTo(1);
    Flyway dlqFlyway = Flyway.configure().dataSource(db.dataSource()).schemas(app).table("dlq_flyway_history")
        .locations(DLQ_LOCATION).baselineOnMigrate(true).baselineVersion("0").load();
    assertThat(dlqFlyway.migrate().migrationsExecuted).isEqualTo(PostgresSchema.scripts().size());

    SchemaInUse.assertCurrentAndUsable(db, app);
    assertThat(count(app + ".app_orders")).isZero();
    assertThat(count(app + ".flyway_schema_history")).isEqualTo(1);
    assertThat(count(app + ".dlq_flyway_history")).as("the baseline and dlq's scripts")
        .isEqualTo(1 + PostgresSchema.scripts().size());
  }

  @Test
  void inANonEmptySchemaFlywayNeedsABaselineBelowVersionOne() {
    String app = db.freshSchema("fw_nobaseline");
    appFlyway(app).migrate();
    Flyway noBaseline = Flyway.configure().dataSource(db.dataSource()).schemas(app).table("dlq_flyway_history")
        .locations(DLQ_LOCATION).load();
    assertThatThrownBy(noBaseline::migrate).isInstanceOf(FlywayException.class).hasMessageContaining("baseline");
  }

  @Test
  void aSecondLocationInTheAppsFlywayClashesOnVersionOne() {
    String app = db.freshSchema("fw_clash");
    Flyway both = Flyway.configure().dataSource(db.dataSource()).schemas(app)
        .locations("classpath:db/migration", DLQ_LOCATION).load();
    assertThatThrownBy(both::migrate).isInstanceOf(FlywayException.class)
        .hasMessageContaining("more than one migration with version 1");
  }

  private long count(String table) throws Exception {
    try (Connection c = db.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
