package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.postgres.PostgresSchema;
import dev.dlq.postgres.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code dlq migrate} against the real test database, and the store commands' check before it. */
class MigrateCommandIT {
  private final TestDatabase db = TestDatabase.get();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    out.reset();
    err.reset();
    Map<String, String> env = db.password() == null ? Map.of() : Map.of("PGPASSWORD", db.password());
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void storeCommandsNameTheFixThenMigrateCreatesTheTablesOnce() throws Exception {
    String schema = db.freshSchema("cli_migrate");
    String url = db.jdbcUrl();

    for (String action : new String[] {"list", "stats", "export", "audit", "replay-batch"}) {
      assertThat(run("dead-letters", action, "--url", url, "--set", "user=" + db.user(), "--set", "schema=" + schema))
          .as(action).isEqualTo(Exit.STORE_UNAVAILABLE);
      assertThat(err()).startsWith("dlq dead-letters " + action + ": dlq's tables are missing from schema " + schema)
          .contains("dlq migrate --url <jdbc:postgresql://host/db> --schema " + schema).doesNotContain("Exception");
    }
    assertThat(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema + "'"))
        .as("no command but migrate runs DDL: no table in " + schema).isZero();
    String nope = "nope_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    assertThat(run("dead-letters", "list", "--url", url, "--set", "user=" + db.user(), "--set", "schema=" + nope))
        .isEqualTo(Exit.STORE_UNAVAILABLE);
    assertThat(err()).contains("dlq's tables are missing from schema " + nope);
    assertThat(count("SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + nope + "'"))
        .as("schema " + nope + " is not created").isZero();
    assertThat(run("migrate", "--url", url, "--user", db.user(), "--schema", schema, "--check"))
        .isEqualTo(Exit.STORE_UNAVAILABLE);
    assertThat(err()).contains("dlq's tables are missing from schema " + schema);

    assertThat(run("migrate", "--url", url, "--user", db.user(), "--schema", schema)).as(err()).isZero();
    assertThat(out()).isEqualTo("schema " + schema + ": applied " + String.join(", ", PostgresSchema.scripts())
        + System.lineSeparator());
    assertThat(run("migrate", "--url", url, "--user", db.user(), "--schema", schema)).isZero();
    assertThat(out()).contains("already current (" + PostgresSchema.scripts().size() + " scripts), nothing applied");
    assertThat(run("migrate", "--url", url, "--user", db.user(), "--schema", schema, "--check")).isZero();
    assertThat(out()).contains("schema " + schema + ": current");

    assertThat(run("dead-letters", "stats", "--url", url, "--set", "user=" + db.user(), "--set", "schema=" + schema))
        .as(err()).isZero();
    PostgresSchema.verify(db.dataSource(), schema);
  }

  private long count(String sql) throws java.sql.SQLException {
    try (java.sql.Connection c = db.connect(); java.sql.ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void badInputIsOneLineWithExitCodeTwo() throws Exception {
    assertThat(run("migrate")).isEqualTo(2);
    assertThat(err()).contains("--url is required");
    assertThat(run("migrate", "--url", "jdbc:mysql://x/secret?password=hunter2")).isEqualTo(2);
    assertThat(err()).contains("jdbc:postgresql:").doesNotContain("hunter2");
    assertThat(run("migrate", "--url", db.jdbcUrl(), "--schema", "x; DROP TABLE y")).isEqualTo(2);
    assertThat(err()).contains("schema must be a plain identifier");
    assertThat(run("migrate", "--url", db.jdbcUrl(), "--frobnicate")).isEqualTo(2);
    assertThat(err()).contains("unknown option '--frobnicate'");
  }
}
