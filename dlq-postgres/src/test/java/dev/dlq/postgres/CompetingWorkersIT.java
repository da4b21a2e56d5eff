package dev.dlq.postgres;

import dev.dlq.contract.Settle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.contract.CountingObserver;
import dev.dlq.Outcome;
import dev.dlq.Worker;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** No task is claimed twice by competing sources or workers. */
class CompetingWorkersIT {
  private final TestDatabase db = TestDatabase.get();

  @Test
  void competingSourcesNeverClaimTheSameTask() throws Exception {
    String schema = db.migratedSchema("compete");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).claimBatch(7).build();
    int n = 3000;
    List<NewTask> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(NewTask.of("t", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
    }
    Set<String> ids = Set.copyOf(q.enqueueBatch(tasks));
    assertThat(ids).hasSize(n);

    Map<String, Integer> claims = new ConcurrentHashMap<>();
    int racers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int r = 0; r < racers; r++) {
      int max = 3 + r * 5;
      done.add(pool.submit(() -> {
        try (Source s = q.source()) {
          go.await();
          int empty = 0;
          while (empty < 3) {
            List<? extends Delivery> got = s.poll(max, Duration.ofMillis(100));
            if (got.isEmpty()) {
              empty++;
              continue;
            }
            empty = 0;
            for (Delivery d : got) {
              claims.merge(d.message().id(), 1, Integer::sum);
              Settle.complete(d);
            }
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    assertThat(claims.keySet()).isEqualTo(ids);
    assertThat(claims.values()).allMatch(c -> c == 1);
    assertThat(remaining(schema)).isZero();
  }

  @Test
  void competingWorkersProcessEveryTaskExactlyOnce() throws Exception {
    String schema = db.migratedSchema("compete_w");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).build();
    int n = 2000;
    List<NewTask> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(NewTask.of("t", new byte[] {(byte) i}));
    }
    q.enqueueBatch(tasks);
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    CountingObserver metrics = new CountingObserver();
    List<Worker> workers = new ArrayList<>();
    List<Source> sources = new ArrayList<>();
    PostgresDeadLetterStore store = q.deadLetterStore();
    for (int w = 0; w < 3; w++) {
      Source s = q.source();
      sources.add(s);
      workers.add(Worker.builder(s, m -> {
        runs.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet();
        return Outcome.success();
      }).sink(store).concurrency(4).observer(metrics).pollWait(Duration.ofMillis(200)).build().start());
    }
    try {
      Poll.until("all tasks ran", Duration.ofSeconds(90), () -> metrics.messages("success") >= n);
    } finally {
      workers.forEach(Worker::close);
      sources.forEach(Source::close);
    }
    assertThat(runs).hasSize(n);
    assertThat(runs.values()).allMatch(c -> c.get() == 1);
    assertThat(metrics.messages("success")).isEqualTo(n);
    assertThat(remaining(schema)).isZero();
  }

  private long remaining(String schema) throws Exception {
    try (Connection c = db.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".tasks")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
