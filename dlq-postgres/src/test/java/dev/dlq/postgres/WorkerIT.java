package dev.dlq.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterReason;
import dev.dlq.contract.CountingObserver;
import dev.dlq.ErrorClass;
import dev.dlq.InvalidMessageException;
import dev.dlq.Outcome;
import dev.dlq.Processor;
import dev.dlq.RetryPolicy;
import dev.dlq.StoredDeadLetter;
import dev.dlq.Worker;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every engine path of dev.dlq.Worker over the PostgreSQL source and store. */
class WorkerIT {
  private final TestDatabase db = TestDatabase.get();
  private String schema;
  private PostgresQueue queue;
  private PostgresDeadLetterStore store;
  private Source source;
  private Worker worker;
  private final CountingObserver metrics = new CountingObserver();

  @BeforeEach
  void setUp() {
    schema = db.migratedSchema("worker");
    queue = PostgresQueue.builder(db.dataSource(), "work").schema(schema).build();
    store = queue.deadLetterStore();
    source = queue.source();
  }

  @AfterEach
  void tearDown() {
    if (worker != null) {
      worker.close();
    }
    source.close();
  }

  private void start(Processor p) {
    worker = Worker.builder(source, p).sink(store).observer(metrics).concurrency(3)
        .retryPolicy(RetryPolicy.fixed(Duration.ofMillis(50), 3)).pollWait(Duration.ofMillis(500)).build().start();
  }

  private StoredDeadLetter deadLetterOf(String taskId) throws InterruptedException {
    String id = dev.dlq.DeadLetter.idFor(queue.sourceRef(), taskId);
    Poll.until("dead letter of " + taskId, Duration.ofSeconds(30), () -> store.get(id).isPresent());
    return store.get(id).orElseThrow();
  }

  @Test
  void successCompletesAndRemovesTheTask() throws Exception {
    start(m -> Outcome.success());
    String id = queue.enqueue("ok", "x".getBytes(StandardCharsets.UTF_8), Map.of());
    Poll.until("success", Duration.ofSeconds(30), () -> metrics.messages("success") == 1);
    Poll.until("row deleted", Duration.ofSeconds(10), () -> status(id) == null);
    assertThat(store.count(DeadLetterFilter.all())).isZero();
  }

  @Test
  void failuresAreRetriedWithTheAttemptRaisedThenSucceed() throws Exception {
    Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();
    start(m -> {
      attempts.computeIfAbsent(m.id(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(m.attempt());
      if (m.attempt() < 3) {
        throw new java.io.IOException("flaky " + m.attempt());
      }
      return Outcome.success();
    });
    String id = queue.enqueue("flaky", "x".getBytes(StandardCharsets.UTF_8), Map.of());
    Poll.until("success", Duration.ofSeconds(30), () -> metrics.messages("success") == 1);
    assertThat(attempts.get(id)).containsExactly(1, 2, 3);
    assertThat(metrics.retriesTotal()).isEqualTo(2);
    assertThat(metrics.deadLetteredTotal()).isZero();
  }

  @Test
  void alwaysFailingTaskIsDeadLetteredExhaustedWithItsHistory() throws Exception {
    start(m -> {
      throw new IllegalStateException("always broken for " + m.id());
    });
    byte[] payload = {0, (byte) 0xff, 10, 13};
    String id = queue.enqueue("broken", payload, Map.of("tenant", "acme"));
    StoredDeadLetter s = deadLetterOf(id);
    assertThat(s.deadLetter().reason()).isEqualTo(DeadLetterReason.EXHAUSTED);
    assertThat(s.deadLetter().attempts()).isEqualTo(3);
    assertThat(s.deadLetter().history()).extracting(a -> a.number()).containsExactly(1, 2, 3);
    assertThat(s.deadLetter().errorType()).isEqualTo(IllegalStateException.class.getName());
    assertThat(s.deadLetter().stackTrace()).contains("always broken");
    assertThat(s.deadLetter().message().payload()).isEqualTo(payload);
    assertThat(s.deadLetter().message().headers()).isEqualTo(Map.of("tenant", "acme"));
    Poll.until("counted", Duration.ofSeconds(10), () -> metrics.deadLetteredTotal() == 1);
    assertThat(status(id)).isEqualTo("DEAD");
    assertThat(metrics.retriesTotal()).isEqualTo(2);
  }

  @Test
  void userErrorsAreNotRetried() throws Exception {
    start(m -> {
      throw new IllegalArgumentException("bad input");
    });
    String id = queue.enqueue("bad", "x".getBytes(StandardCharsets.UTF_8), Map.of());
    StoredDeadLetter s = deadLetterOf(id);
    assertThat(s.deadLetter().reason()).isEqualTo(DeadLetterReason.NON_RETRYABLE);
    assertThat(s.deadLetter().errorClass()).isEqualTo(ErrorClass.USER_ERROR);
    assertThat(s.deadLetter().attempts()).isEqualTo(1);
    assertThat(metrics.retriesTotal()).isZero();
  }

  @Test
  void invalidMessagesAreDeadLetteredAtOnce() throws Exception {
    start(m -> {
      throw new InvalidMessageException("not JSON: " + m.payloadAsString());
    });
    String id = queue.enqueue("garbage", "{{{".getBytes(StandardCharsets.UTF_8), Map.of());
    StoredDeadLetter s = deadLetterOf(id);
    assertThat(s.deadLetter().reason()).isEqualTo(DeadLetterReason.INVALID);
    assertThat(s.deadLetter().attempts()).isEqualTo(1);
  }

  @Test
  void undecodableRowsAreDeadLetteredWithoutCallingTheProcessor() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    start(m -> {
      calls.incrementAndGet();
      return Outcome.success();
    });
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema
        + ".tasks (id, queue, type, payload, headers) VALUES ('hand-written', 'work', 'x', '\\x01', '{\"n\": 1}')")) {
      ps.executeUpdate();
      try (PreparedStatement n = c.prepareStatement("SELECT pg_notify('dlq_tasks', ?)")) {
        n.setString(1, schema + ".work");
        n.execute();
      }
    }
    StoredDeadLetter s = deadLetterOf("hand-written");
    assertThat(s.deadLetter().reason()).isEqualTo(DeadLetterReason.INVALID);
    assertThat(s.deadLetter().errorMessage()).contains("headers");
    assertThat(calls).hasValue(0);
  }

  @Test
  void processorCanRejectAndAskForRetries() throws Exception {
    start(m -> {
      if (m.type().equals("reject")) {
        return Outcome.deadLetter("refused by policy");
      }
      return m.attempt() == 1 ? Outcome.retryAfter(Duration.ofMillis(10)) : Outcome.success();
    });
    String rejected = queue.enqueue("reject", "x".getBytes(StandardCharsets.UTF_8), Map.of());
    queue.enqueue("again", "y".getBytes(StandardCharsets.UTF_8), Map.of());
    StoredDeadLetter s = deadLetterOf(rejected);
    assertThat(s.deadLetter().reason()).isEqualTo(DeadLetterReason.REJECTED);
    assertThat(s.deadLetter().errorMessage()).isEqualTo("refused by policy");
    Poll.until("retried then succeeded", Duration.ofSeconds(30), () -> metrics.messages("success") == 1);
    assertThat(metrics.retriesTotal()).isEqualTo(1);
  }

  @Test
  void shutdownHandsBackClaimedWorkWithoutSpendingAnAttempt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    worker = Worker.builder(source, m -> {
      started.countDown();
      Thread.sleep(60_000);
      return Outcome.success();
    }).sink(store).observer(metrics).concurrency(1).prefetch(0).shutdownTimeout(Duration.ofMillis(200)).build().start();
    String id = queue.enqueue("slow", "x".getBytes(StandardCharsets.UTF_8), Map.of());
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    worker.close();
    worker = null;
    assertThat(status(id)).isEqualTo("READY");
    assertThat(attempts(id)).isZero();
  }

  private String status(String id) {
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement("SELECT status FROM " + schema + ".tasks WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private int attempts(String id) throws Exception {
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement("SELECT attempts FROM " + schema + ".tasks WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }


  @Test
  void aWorkerOnDefaultsKeepsOneClaimInFlight() throws Exception {
    List<NewTask> tasks = new java.util.ArrayList<>();
    for (int i = 0; i < 150; i++) {
      tasks.add(NewTask.of("slow", new byte[] {1}));
    }
    queue.enqueueBatch(tasks);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    worker = Worker.builder(source, m -> {
      running.incrementAndGet();
      release.await();
      return Outcome.success();
    }).observer(metrics).pollWait(Duration.ofMillis(200)).shutdownTimeout(Duration.ofSeconds(10)).build().start();
    Poll.until("16 processors running", Duration.ofSeconds(30), () -> running.get() == 16);
    // 16 running + the PostgreSQL source's default prefetch (claimBatch 100 - 16 = 84)
    Poll.until("100 in flight", Duration.ofSeconds(30), () -> worker.inFlight() == 100);
    Thread.sleep(300);
    assertThat(worker.inFlight()).isEqualTo(100);
    release.countDown();
    Poll.until("all done", Duration.ofSeconds(60), () -> metrics.messages("success") == 150 && worker.inFlight() == 0);
  }
}
