package dev.dlq.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterFilter;
import dev.dlq.postgres.NewTask;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.testing.TestDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §5.1: kill -9 anywhere loses nothing. A worker process is killed with SIGKILL in the middle
 * of a drain; a second process finishes it. Every task is processed at least once, every poison task
 * is dead-lettered exactly once, and nothing is left behind.
 */
class KillNineIT {
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() {
    children.forEach(Process::destroyForcibly);
  }

  private Process startWorker(TestDatabase db, String schema, String queue) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", CrashableWorker.class.getName(), db.jdbcUrl(), db.user(),
        db.password() == null ? "-" : db.password(), schema, queue);
    pb.redirectErrorStream(true);
    pb.redirectOutput(new File("target/kill-nine-" + queue + "-" + children.size() + ".log"));
    Process p = pb.start();
    children.add(p);
    return p;
  }

  private static long count(TestDatabase db, String sql) throws Exception {
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void await(String what, Duration timeout, Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  @Test
  void aWorkerKilledMidDrainLosesNothing() throws Exception {
    TestDatabase db = TestDatabase.get();
    String schema = db.migratedSchema("kill9");
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + schema + ".processed (task_id text NOT NULL, pid bigint NOT NULL)");
    }
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "kill9").schema(schema).build();
    int n = 3000;
    Set<String> good = new HashSet<>();
    Set<String> poison = new HashSet<>();
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean bad = i % 20 == 0;
      batch.add(NewTask.of("job", (bad ? "poison" : "ok").getBytes(StandardCharsets.UTF_8), Map.of("n", "" + i)));
    }
    List<String> ids = q.enqueueBatch(batch);
    for (int i = 0; i < n; i++) {
      (i % 20 == 0 ? poison : good).add(ids.get(i));
    }

    Process first = startWorker(db, schema, "kill9");
    await("the first worker to get going", Duration.ofSeconds(60),
        () -> count(db, "SELECT count(*) FROM " + schema + ".processed") >= n / 5);
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no release, leases left behind
    assertThat(first.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    long doneBeforeKill = count(db, "SELECT count(DISTINCT task_id) FROM " + schema + ".processed");
    assertThat(doneBeforeKill).as("killed mid-drain").isLessThan(good.size());

    startWorker(db, schema, "kill9");
    await("every task to be settled", Duration.ofSeconds(120),
        () -> count(db, "SELECT count(*) FROM " + schema + ".tasks WHERE status IN ('READY', 'RUNNING')") == 0);

    Set<String> processed = new HashSet<>();
    try (Connection c = db.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT DISTINCT task_id FROM " + schema + ".processed")) {
      while (rs.next()) {
        processed.add(rs.getString(1));
      }
    }
    assertThat(processed).as("every good task processed at least once").isEqualTo(good);
    var store = q.deadLetterStore();
    assertThat(store.count(DeadLetterFilter.all())).as("one dead letter per poison task").isEqualTo(poison.size());
    for (String id : poison) {
      assertThat(count(db, "SELECT count(*) FROM " + schema + ".dead_letters WHERE message_id = '" + id + "'"))
          .as("dead letter of " + id).isEqualTo(1);
    }
  }
}
