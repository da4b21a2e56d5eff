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
    assertThat(tables(schema)).contains("tasks", "task_attempts", "dead_letters", "audit_log", "replays",
        "dlq_schema_history");
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
      assertThat(PostgresSchema.class.getResource("/" + PostgresSchema.LOCATION + "/" + script)).isNotNull();
    }
    assertThat(PostgresSchema.LOCATION).as("outside Flyway's default location").doesNotStartWith("db/migration");
    assertThat(java.nio.file.Path.of("target/classes/db")).as("nothing shipped at Flyway's default").doesNotExist();
  }

  @Test
  void everyScriptRecordsItselfSoAnyToolLeavesDlqsHistory() throws Exception {
    for (String script : PostgresSchema.scripts()) {
      String text;
      try (java.io.InputStream in = PostgresSchema.class.getResourceAsStream("/" + PostgresSchema.LOCATION + "/" + script)) {
        text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
      int version = Integer.parseInt(script.substring(1, script.indexOf("__")));
      assertThat(text.strip()).endsWith("INSERT INTO dlq_schema_history (version, script) VALUES (" + version + ", '"
          + script + "');");
    }
  }

  @Test
  void aSchemaByHandWithPsqlStyleScriptsReadsAsCurrent() throws Exception {
    String schema = db.freshSchema("by_hand");
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.execute("SET search_path TO " + schema);
      for (String script : PostgresSchema.scripts()) {
        try (java.io.InputStream in = PostgresSchema.class.getResourceAsStream("/" + PostgresSchema.LOCATION + "/" + script)) {
          st.execute(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      st.execute("RESET search_path");
    }
    assertThat(PostgresSchema.migrate(db.dataSource(), schema)).isEmpty();
    PostgresSchema.verify(db.dataSource(), schema);
  }

  @Test
  void verifyNamesTheFixWhenTheTablesAreMissing() {
    String schema = db.freshSchema("missing");
    assertThatThrownBy(() -> PostgresSchema.verify(db.dataSource(), schema))
        .isInstanceOfSatisfying(SchemaMissingException.class, e -> {
          assertThat(e.schema()).isEqualTo(schema);
          assertThat(e.missingScripts()).containsExactlyElementsOf(PostgresSchema.scripts());
        })
        .hasMessage("dlq's tables are missing from schema " + schema + "; dlq does not create them on open. Run "
            + "PostgresSchema.migrate(dataSource, \"" + schema + "\") at startup, or once from a shell: dlq migrate "
            + "--url <jdbc:postgresql://host/db> --schema " + schema + " (or apply the scripts with Flyway or Liquibase: "
            + "docs/postgres.md)");
    assertThatThrownBy(() -> PostgresSchema.verify(db.dataSource(), "no_such_schema_" + System.nanoTime()))
        .isInstanceOf(SchemaMissingException.class);
  }

  @Test
  void verifyNamesTheScriptsNotAppliedWhenOutOfDate() throws Exception {
    String schema = db.migratedSchema("outdated");
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.executeUpdate("DELETE FROM " + schema + ".dlq_schema_history WHERE version = 3");
      st.executeUpdate("DROP TABLE " + schema + ".audit_log");
    }
    assertThatThrownBy(() -> PostgresSchema.verify(db.dataSource(), schema))
        .isInstanceOfSatisfying(SchemaMissingException.class,
            e -> assertThat(e.missingScripts()).containsExactly("V3__audit_log.sql"))
        .hasMessageContaining("dlq's schema " + schema + " is out of date (not applied: V3__audit_log.sql)")
        .hasMessageContaining("PostgresSchema.migrate(dataSource, \"" + schema + "\")");
    assertThat(PostgresSchema.migrate(db.dataSource(), schema)).containsExactly("V3__audit_log.sql");
    PostgresSchema.verify(db.dataSource(), schema);
  }

  @Test
  void v4MovesTheHistoriesOfEarlierVersionsIntoTheAttemptsTable() throws Exception {
    String schema = db.migratedSchema("v4");
    String attempt = "{\"number\":%d,\"at\":\"2026-01-0%dT00:00:00Z\",\"errorClass\":\"SYSTEM_ERROR\","
        + "\"errorType\":\"java.io.IOException\",\"errorMessage\":\"try %d\",\"durationMillis\":5,\"workerId\":\"w\"}";
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      // the schema as V3 left it, with a task that failed twice
      st.executeUpdate("DELETE FROM " + schema + ".dlq_schema_history WHERE version = 4");
      st.executeUpdate("DROP TABLE " + schema + ".task_attempts");
      st.executeUpdate("ALTER TABLE " + schema + ".tasks ADD COLUMN history jsonb");
      st.executeUpdate("INSERT INTO " + schema + ".tasks (id, queue, type, payload, attempts, history) VALUES ('t1', 'q',"
          + " 'x', '\\x00', 2, '[" + String.format(attempt, 1, 1, 1) + "," + String.format(attempt, 2, 2, 2) + "]')");
      st.executeUpdate("INSERT INTO " + schema + ".tasks (id, queue, type, payload) VALUES ('t2', 'q', 'x', '\\x00')");
    }
    assertThat(PostgresSchema.migrate(db.dataSource(), schema)).containsExactly("V4__task_attempts.sql");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "q").schema(schema).build();
    PostgresTask t1 = q.claim("t1", "w1", java.time.Duration.ofMinutes(1)).orElseThrow();
    assertThat(t1.attempt()).isEqualTo(3);
    assertThat(t1.history()).extracting(dev.dlq.Attempt::errorMessage).containsExactly("try 1", "try 2");
    assertThat(q.claim("t2", "w1", java.time.Duration.ofMinutes(1)).orElseThrow().history()).isEmpty();
    assertThat(columns(schema, "tasks")).doesNotContain("history");
  }

  private List<String> columns(String schema, String table) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
            + schema + "' AND table_name = '" + table + "'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
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
