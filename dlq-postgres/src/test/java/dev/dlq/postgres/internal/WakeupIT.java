package dev.dlq.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.postgres.testing.TestPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 (6): the LISTEN connection says when it is back, not only that it was lost. Its backend
 * is terminated from another session, as a server restart would; the wake-up goes LOST, then
 * LISTENING again with one recovery counted, and a notification wakes the poller again. Only this
 * test's own backend is terminated (found by a unique application name).
 */
class WakeupIT {
  @Test
  void aLostListenConnectionComesBackAndSaysSo() throws Exception {
    TestDatabase db = TestDatabase.get();
    String app = "wakeup-it-" + UUID.randomUUID().toString().substring(0, 8);
    String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "ApplicationName=" + app;
    String key = "wakeup_it." + app;
    try (TestPool pool = new TestPool(url, db.user(), db.password(), 4, 2);
        Wakeup wakeup = new Wakeup(pool, key, app + "-listen")) {
      until("listening", () -> wakeup.state() == Wakeup.State.LISTENING);
      assertThat(wakeup.recoveries()).isZero();
      assertWokenByNotify(db, wakeup, key);

      assertThat(terminate(db, app)).as("backends of %s terminated", app).isEqualTo(1);
      until("the loss to be seen and the connection to be back", () -> wakeup.recoveries() == 1);
      assertThat(wakeup.state()).isEqualTo(Wakeup.State.LISTENING);
      assertWokenByNotify(db, wakeup, key);
    }
  }

  private static void assertWokenByNotify(TestDatabase db, Wakeup wakeup, String key) throws Exception {
    long seen = wakeup.sequence();
    while (wakeup.await(seen, Duration.ofMillis(300).toNanos())) {
      seen = wakeup.sequence(); // the wake-up a (re)connection gives itself: wait until it is quiet
    }
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(new Sql("public").notify)) {
      ps.setString(1, key);
      ps.execute();
    }
    assertThat(wakeup.await(seen, Duration.ofSeconds(5).toNanos())).as("woken by NOTIFY").isTrue();
  }

  private static int terminate(TestDatabase db, String app) throws SQLException {
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, app);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static void until(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 10 s waiting until " + what);
      }
      Thread.sleep(20);
    }
  }
}
