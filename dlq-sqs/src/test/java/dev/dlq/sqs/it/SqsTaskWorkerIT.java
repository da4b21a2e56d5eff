package dev.dlq.sqs.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterJson;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.Outcome;
import dev.dlq.Processor;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.sqs.SqsDeadLetterSink;
import dev.dlq.sqs.SqsEnvelope;
import dev.dlq.sqs.SqsTaskSource;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * DB-authority mode (seeds/000): SQS carries task ids, PostgreSQL decides; the engine runs on
 * {@link SqsTaskSource}. Real ElasticMQ and a real PostgreSQL.
 */
class SqsTaskWorkerIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private final SqsClient sqs = SqsServer.client();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final DlqMetrics metrics = DlqMetrics.create();
  private TestDatabase db;
  private String schema;
  private PostgresQueue tasks;
  private String queue;
  private String dlq;

  @BeforeEach
  void setUp() {
    db = TestDatabase.get();
    schema = db.migratedSchema("sqs_authority");
    tasks = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema)
        .keepCompleted(Duration.ofHours(1)).listen(false).build();
    queue = SqsServer.queue("tasks");
    dlq = SqsServer.queue("tasks-dlq");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private String enqueue(String type, String payload) {
    String id = tasks.enqueue(type, payload.getBytes(StandardCharsets.UTF_8), Map.of("tenant", "acme"));
    SqsTaskSource.sendTaskId(sqs, queue, id);
    return id;
  }

  private SqsTaskSource source(SqsDeadLetterSink publisher) {
    SqsTaskSource s = SqsTaskSource.builder(sqs, queue, tasks).deadLetters(publisher)
        .lease(Duration.ofSeconds(30)).build();
    toClose.add(s);
    return s;
  }

  private Worker start(SqsTaskSource source, Processor p, RetryPolicy policy) {
    Worker w = Worker.builder(source, p).sink(SqsDeadLetterSink.builder(sqs, dlq).build()).observer(metrics)
        .retryPolicy(policy).concurrency(4).build();
    toClose.add(w);
    return w.start();
  }

  private String status(String id) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement("SELECT status FROM " + schema + ".tasks WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : "MISSING";
      }
    }
  }

  private double counter(String name) {
    for (MetricSnapshot s : metrics.registry().scrape()) {
      if (s.getMetadata().getName().equals(name) && s instanceof CounterSnapshot c) {
        return c.getDataPoints().stream().mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
      }
    }
    return 0;
  }

  private boolean statusIs(String id, String want) {
    try {
      return status(id).equals(want);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void taskIsConsumedAndSucceeds() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    String id = enqueue("report", "{\"month\":3}");
    start(source(SqsDeadLetterSink.builder(sqs, dlq).build()), m -> {
      seen.add(m.id() + "/" + m.type() + "/" + m.payloadAsString() + "/" + m.headers().get("tenant") + "/" + m.attempt());
      return Outcome.success();
    }, RetryPolicy.none());

    Waits.until(PATIENCE, "the task to be DONE", () -> statusIs(id, "DONE"));
    assertThat(seen).containsExactly(id + "/report/{\"month\":3}/acme/1");
    Waits.until(PATIENCE, "an empty SQS queue", () -> SqsServer.depth(queue) == 0);
    assertThat(SqsServer.peek(dlq, 0, Duration.ofSeconds(1))).isEmpty();
    assertThat(metrics.deadLetteredTotal()).isZero();
  }

  @Test
  void poisonTasksDieOnceEachWithExactlyOneDeadLetterEvent() throws Exception {
    AtomicInteger exhaustedCalls = new AtomicInteger();
    String exhausted = enqueue("flaky", "a"); // dies after the policy's 3 attempts, the budget the claim writes
    String invalid = enqueue("strict", "b"); // dies at once: a user error is never retried
    start(source(SqsDeadLetterSink.builder(sqs, dlq).build()), m -> {
      if (m.type().equals("flaky")) {
        exhaustedCalls.incrementAndGet();
        throw new IllegalStateException("boom " + m.attempt());
      }
      throw new IllegalArgumentException("bad input");
    }, RetryPolicy.fixed(Duration.ZERO, 3));

    Waits.until(PATIENCE, "both tasks DEAD", () -> statusIs(exhausted, "DEAD") && statusIs(invalid, "DEAD"));
    Waits.until(PATIENCE, "an empty SQS queue", () -> SqsServer.depth(queue) == 0);
    // the observer hears of a death after its settlement is durable, a moment after the row reads DEAD
    Waits.until(PATIENCE, "both deaths counted", () -> metrics.deadLetteredTotal() >= 2);
    assertThat(exhaustedCalls).hasValue(3);
    assertThat(metrics.deadLetteredTotal()).as("one count per dead task").isEqualTo(2);
    assertThat(counter("dlq_dead_letter_publish_failures")).isZero();

    var events = SqsServer.peek(dlq, 2, Duration.ofSeconds(5));
    assertThat(events).hasSize(2);
    Map<String, DeadLetter> byTask = new java.util.HashMap<>();
    events.forEach(e -> byTask.put(e.messageAttributes().get(SqsEnvelope.ID).stringValue(),
        DeadLetterJson.fromJson(e.body().getBytes(StandardCharsets.UTF_8))));
    assertThat(byTask.keySet()).containsExactlyInAnyOrder(exhausted, invalid);
    DeadLetter a = byTask.get(exhausted);
    assertThat(a.attempts()).isEqualTo(3);
    assertThat(a.maxAttempts()).isEqualTo(3);
    assertThat(a.errorMessage()).isEqualTo("boom 3");
    assertThat(a.message().payloadAsString()).isEqualTo("a");
    assertThat(a.workerId()).isNotBlank();
    DeadLetter b = byTask.get(invalid);
    assertThat(b.reason()).isEqualTo(DeadLetterReason.NON_RETRYABLE);
    assertThat(b.attempts()).isEqualTo(1);

    // the database holds the dead letters too: it is the authority
    assertThat(tasks.deadLetterStore().get(a.id())).hasValueSatisfying(s -> assertThat(s.status())
        .isEqualTo(DeadLetterStatus.PENDING));
    assertThat(tasks.deadLetterStore().get(b.id())).isPresent();
  }

  @Test
  void aFailedPublishStillDeletesAndIsCountedWhileTheDeathCountsOnce() throws Exception {
    String gone = SqsServer.queue("gone-dlq");
    sqs.deleteQueue(b -> b.queueUrl(gone));
    String id = enqueue("strict", "x");
    start(source(SqsDeadLetterSink.builder(sqs, gone).build()), m -> {
      throw new IllegalArgumentException("bad input");
    }, RetryPolicy.fixed(Duration.ZERO, 3));

    Waits.until(PATIENCE, "the task DEAD", () -> statusIs(id, "DEAD"));
    Waits.until(PATIENCE, "an empty SQS queue", () -> SqsServer.depth(queue) == 0);
    Waits.until(PATIENCE, "the publish failure counted", () -> counter("dlq_dead_letter_publish_failures") == 1);
    Waits.until(PATIENCE, "the death counted", () -> metrics.deadLetteredTotal() >= 1);
    assertThat(metrics.deadLetteredTotal()).isEqualTo(1);
  }

  @Test
  void retryComesBackByVisibilityAfterTheDelay() throws Exception {
    List<Long> at = new CopyOnWriteArrayList<>();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    String id = enqueue("flaky", "x");
    start(source(SqsDeadLetterSink.builder(sqs, dlq).build()), m -> {
      at.add(System.nanoTime());
      attempts.add(m.attempt());
      if (m.attempt() == 1) {
        throw new java.io.IOException("timeout");
      }
      return Outcome.success();
    }, RetryPolicy.fixed(Duration.ofSeconds(2), 3));

    Waits.until(PATIENCE, "the task DONE", () -> statusIs(id, "DONE"));
    assertThat(attempts).containsExactly(1, 2);
    assertThat(Duration.ofNanos(at.get(1) - at.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    Waits.until(PATIENCE, "an empty SQS queue", () -> SqsServer.depth(queue) == 0);
  }

  @Test
  void invalidMessagesAreDeletedAtOnceAndUnclaimableTasksKeepTheirMessage() throws Exception {
    sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{\"not\":\"a task id\"}"));
    sqs.sendMessage(b -> b.queueUrl(queue).messageBody("no such task"));
    SqsTaskSource.sendTaskId(sqs, queue, "unknown-task");
    SqsTaskSource source = SqsTaskSource.builder(sqs, queue, tasks).lease(Duration.ofSeconds(2))
        .reapInterval(Duration.ZERO).build();
    toClose.add(source);

    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(source.poll(10, Duration.ofSeconds(1))).isEmpty();
    }
    // the two invalid ones are gone; the unknown task's message stays and keeps coming back
    Waits.until(PATIENCE, "only the unclaimable message left", () -> SqsServer.depth(queue) == 1);
    var left = SqsServer.peek(queue, 1, Duration.ofSeconds(5));
    assertThat(left).extracting(m -> m.body()).containsExactly("unknown-task");
  }
}
