package dev.dlq.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dlq.DeadLetterFilter;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.postgres.NewTask;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.PostgresSchema;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 (1): the PostgreSQL server restarts twice in the middle of a drain and the same worker
 * JVM finishes it. Every good task is processed and DONE, every poison task is DEAD with exactly one
 * dead letter, and the outage made no dead letter of its own. The test owns its server (embedded
 * PostgreSQL on its own port and data directory), never the shared one; it prints how long the
 * worker took to resume after each restart.
 */
class PostgresRestartIT {
  private static final int TASKS = 3000;
  private static final int POISON_EVERY = 50;
  private static final String QUEUE = "restart";
  private static final String SCHEMA = "restart_it";

  @Test
  void theSameWorkerFinishesADrainAcrossTwoRestarts() throws Exception {
    try (OwnPostgres pg = OwnPostgres.start("pg-restart")) {
      try (Connection c = connect(pg); Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA " + SCHEMA);
      }
      try (HikariDataSource ds = pool(pg)) {
        PostgresSchema.migrate(ds, SCHEMA);
        PostgresQueue q = PostgresQueue.builder(ds, QUEUE).schema(SCHEMA).lease(Duration.ofSeconds(3))
            .reapInterval(Duration.ofMillis(500)).keepCompleted(Duration.ofHours(1)).build();
        Set<String> good = new HashSet<>();
        Set<String> poison = new HashSet<>();
        enqueue(q, good, poison);

        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Worker worker = Worker.builder(q.source(), m -> {
          runs.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet();
          if (m.payloadAsString().equals("poison")) {
            throw new IllegalArgumentException("poison task " + m.id());
          }
          Thread.sleep(1);
          return Outcome.success();
        }).sink(q.deadLetterStore()).retryPolicy(RetryPolicy.fixed(Duration.ZERO, 3)).concurrency(8)
            .pollWait(Duration.ofMillis(200)).pollErrorBackoff(Duration.ofMillis(200)).build();
        long began = System.nanoTime();
        try (worker) {
          worker.start();
          for (int restart = 1; restart <= 2; restart++) {
            int threshold = TASKS * restart / 3;
            Waits.until("the drain to reach " + threshold + " tasks", Duration.ofSeconds(60),
                () -> runs.size() >= threshold);
            long done = countQuietly(pg, "status = 'DONE'");
            assertThat(done).as("restart %d comes mid-drain", restart).isLessThan(good.size());
            long stopping = System.nanoTime();
            pg.stop();
            long down = System.nanoTime();
            pg.startAgain();
            long up = System.nanoTime();
            long doneAtUp = countQuietly(pg, "status = 'DONE'");
            Waits.until("the worker to complete a task after restart " + restart, Duration.ofSeconds(30),
                () -> countQuietly(pg, "status = 'DONE'") > doneAtUp);
            System.out.printf("PostgresRestartIT: restart %d at %d tasks done: stop %d ms, start %d ms, "
                    + "resumed (a task completed) %d ms after the server was back%n", restart, done,
                millis(down - stopping), millis(up - down), millis(System.nanoTime() - up));
          }
          Waits.until("every task to be settled", Duration.ofSeconds(60),
              () -> countQuietly(pg, "status IN ('READY', 'RUNNING')") == 0);
        }
        System.out.printf("PostgresRestartIT: %d tasks drained in %d ms across two restarts; %d processor runs "
            + "(%d repeated good tasks: settles lost in a restart)%n", TASKS, millis(System.nanoTime() - began),
            runs.values().stream().mapToInt(AtomicInteger::get).sum(),
            good.stream().filter(runs::containsKey).mapToInt(id -> runs.get(id).get() - 1).sum());

        assertThat(runs.keySet()).as("every task reached the processor").containsAll(good).containsAll(poison)
            .hasSize(TASKS);
        assertThat(count(pg, "status = 'DONE'")).as("every good task DONE").isEqualTo(good.size());
        assertThat(count(pg, "status = 'DEAD'")).as("every poison task DEAD, nothing else").isEqualTo(poison.size());
        assertThat(ids(pg, "SELECT id FROM " + SCHEMA + ".tasks WHERE status = 'DEAD'")).isEqualTo(poison);
        assertThat(q.deadLetterStore().count(DeadLetterFilter.all()))
            .as("one dead letter per poison task and none from the outage").isEqualTo(poison.size());
        assertThat(ids(pg, "SELECT message_id FROM " + SCHEMA + ".dead_letters")).isEqualTo(poison);
      }
    }
  }

  private static void enqueue(PostgresQueue q, Set<String> good, Set<String> poison) {
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      String payload = i % POISON_EVERY == 0 ? "poison" : "ok";
      batch.add(NewTask.of("job", payload.getBytes(StandardCharsets.UTF_8), Map.of("n", "" + i)));
    }
    List<String> ids = q.enqueueBatch(batch);
    for (int i = 0; i < TASKS; i++) {
      (i % POISON_EVERY == 0 ? poison : good).add(ids.get(i));
    }
  }

  private static HikariDataSource pool(OwnPostgres pg) {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(pg.jdbcUrl());
    cfg.setUsername("postgres");
    cfg.setMaximumPoolSize(16);
    cfg.setConnectionTimeout(2000);
    cfg.setPoolName("restart-it");
    return new HikariDataSource(cfg);
  }

  private static Connection connect(OwnPostgres pg) throws SQLException {
    return DriverManager.getConnection(pg.jdbcUrl() + "?user=postgres&connectTimeout=2&socketTimeout=10");
  }

  private static long count(OwnPostgres pg, String where) throws SQLException {
    try (Connection c = connect(pg); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + SCHEMA + ".tasks WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A count, or -1 while the server does not answer (the test's own probe must not fail the test). */
  private static long countQuietly(OwnPostgres pg, String where) {
    try {
      return count(pg, where);
    } catch (SQLException e) {
      return -1;
    }
  }

  private static Set<String> ids(OwnPostgres pg, String sql) throws SQLException {
    Set<String> out = new HashSet<>();
    try (Connection c = connect(pg); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        assertThat(out.add(rs.getString(1))).as("duplicate %s", rs.getString(1)).isTrue();
      }
    }
    return out;
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }
}
