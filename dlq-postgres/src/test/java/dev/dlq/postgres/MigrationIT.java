package dev.dlq.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.postgres.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Migrations apply once, idempotently, under an advisory lock; a changed script is refused. */
class MigrationIT {
  private final TestDatabase db = TestDatabase.get();

  @Test
  void migratingTwiceAppliesNothingTheSecondTime() throws Exception {
    String schema = db.freshSchema("migrate");
    assertThat(PostgresSchema.migrate(db.dataSource(), schema)).containsExactlyElementsOf(PostgresSchema.scripts());
    assertThat(PostgresSchema.migrate(db.dataSource(), schema)).isEmpty();
    assertThat(tables(schema)).contains("tasks", "dead_letters", "audit_log", "replays", "dlq_schema_history");
  }

  @Test
  void concurrentMigrationsApplyOnce() throws Exception {
    String schema = "t_migrate_race_" + Long.toHexString(System.nanoTime());
    int racers = 5;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<String>>> results = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      results.add(pool.submit(() -> {
        go.await();
        return PostgresSchema.migrate(db.dataSource(), schema);
      }));
    }
    go.countDown();
    int applied = 0;
    for (Future<List<String>> f : results) {
      List<String> got = f.get();
      if (!got.isEmpty()) {
        applied++;
        assertThat(got).containsExactlyElementsOf(PostgresSchema.scripts());
      }
    }
    pool.shutdown();
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      assertThat(applied).isEqualTo(1);
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".dlq_schema_history")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(PostgresSchema.scripts().size());
      }
    } finally {
      try (Connection c = db.connect(); Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Test
  void aScriptChangedAfterItWasAppliedIsRefused() throws Exception {
    String schema = db.migratedSchema("tamper");
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE " + schema + ".dlq_schema_history SET checksum = checksum + 1 WHERE version = 1");
    }
    assertThatThrownBy(() -> PostgresSchema.migrate(db.dataSource(), schema))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("V1__tasks.sql").hasMessageContaining("changed");
  }

  @Test
  void badSchemaNamesAreRejectedBeforeTouchingTheDatabase() {
    assertThatThrownBy(() -> PostgresSchema.migrate(db.dataSource(), "x; DROP TABLE y"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema must be a plain identifier");
    assertThatThrownBy(() -> PostgresSchema.migrate(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theScriptsAreFlywayNamedResources() {
    for (String script : PostgresSchema.scripts()) {
      assertThat(script).matches("V\\d+__[a-z_]+\\.sql");
      assertThat(PostgresSchema.class.getResource("/db/migration/dlq/" + script)).isNotNull();
    }
  }

  private List<String> tables(String schema) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
            + schema + "'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
