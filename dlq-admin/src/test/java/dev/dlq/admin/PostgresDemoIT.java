package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.postgres.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PostgreSQL demo end to end, on the test database (--url) so it does not start a second server. */
class PostgresDemoIT {
  @Test
  void theDemoSettlesEveryTaskAndExplainsWhereTheDeadLettersAre() throws Exception {
    TestDatabase db = TestDatabase.get();
    String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + db.user()
        + (db.password() != null ? "&password=" + db.password() : "");
    String schema = db.freshSchema("demo");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
         PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
      code = PostgresDemo.run(List.of("--tasks", "300", "--url", url, "--schema", schema), out, err);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text + errBytes.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(text).contains("300/300").contains("summary: 300 tasks").contains("by reason:")
        .contains("EXHAUSTED").contains("NON_RETRYABLE").contains("INVALID").contains("./dlq demo --browse");
    try (Connection c = db.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".tasks WHERE status IN ('READY', 'RUNNING')")) {
      rs.next();
      assertThat(rs.getLong(1)).as("nothing left unsettled").isZero();
    }
  }

  @Test
  void badOptionsAreRejectedBeforeAnythingStarts() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      assertThat(PostgresDemo.run(List.of("--tasks", "0"), System.out, e)).isEqualTo(2);
      assertThat(PostgresDemo.run(List.of("--url", "jdbc:mysql://x"), System.out, e)).isEqualTo(2);
      assertThat(PostgresDemo.run(List.of("--frobnicate"), System.out, e)).isEqualTo(2);
      assertThat(PostgresDemo.run(List.of("--schema", "x;y"), System.out, e)).isEqualTo(2);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--tasks must be a whole number from 1 to 200000")
        .contains("jdbc:postgresql:").contains("unknown option '--frobnicate'").contains("--schema must be a plain identifier");
  }
}
