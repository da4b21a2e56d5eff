package dev.dlq.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterJson;
import dev.dlq.DeadLetterReason;
import dev.dlq.contract.CountingObserver;
import dev.dlq.RecordResult;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Source;
import dev.dlq.sqs.SqsDeadLetterSink;
import dev.dlq.sqs.SqsEnvelope;
import dev.dlq.sqs.SqsSource;
import dev.dlq.sqs.SqsTaskSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Issue 15 (4): the SQS dead-letter queue is missing, then unreachable. A message judged dead is not
 * lost (it stays in its queue until the DLQ takes its dead letter), the processor does not run again
 * for it (only the record is retried, each time after a longer invisibility), and in DB-authority mode
 * the database keeps the task DEAD with its dead letter.
 */
class SqsDlqUnavailableIT {
  private static OwnSqs sqs;

  @BeforeAll
  static void startSqs() throws Exception {
    sqs = OwnSqs.start(OwnPostgres.freePort());
  }

  @AfterAll
  static void stopSqs() {
    if (sqs != null) {
      sqs.close();
    }
  }

  @Test
  void aMissingDeadLetterQueueKeepsTheMessageAndRetriesOnlyTheRecord() throws Exception {
    String queue = sqs.createQueue("orders-" + unique());
    String dlqName = "orders-dlq-" + unique();
    String dlq = OwnSqs.queueUrl(sqs.port(), dlqName); // not created yet
    String id = send(sqs.client(), queue, "poison");
    Watched sink = new Watched(SqsDeadLetterSink.builder(sqs.client(), dlq).build());
    AtomicInteger runs = new AtomicInteger();
    CountingObserver metrics = new CountingObserver();
    try (Source source = SqsSource.builder(sqs.client(), queue).lease(Duration.ofSeconds(2)).build();
        Worker worker = worker(source, sink, metrics, runs)) {
      worker.start();
      Waits.until("three failed records", Duration.ofSeconds(30), () -> sink.failures.size() >= 3);
      assertThat(runs).as("the processor ran once; redeliveries retried only the record").hasValue(1);
      assertThat(depth(sqs.client(), queue)).as("the message stays in its queue").isEqualTo(1);

      assertThat(sqs.createQueue(dlqName)).isEqualTo(dlq);
      Waits.until("the dead letter recorded", Duration.ofSeconds(30), () -> sink.recorded.get() == 1);
      Waits.until("the message gone from its queue", Duration.ofSeconds(10), () -> depth(sqs.client(), queue) == 0);
    }
    assertThat(runs).hasValue(1);
    assertGrowingWaits(sink.failures);
    assertOneDeadLetter(sqs.client(), dlq, id);
    assertThat(metrics.deadLetteredTotal()).as("counted once, by the source that recorded it").isEqualTo(1);
  }

  @Test
  void anUnreachableDeadLetterQueueKeepsTheMessageUntilItAnswers() throws Exception {
    String queue = sqs.createQueue("payments-" + unique());
    int dlqPort = OwnPostgres.freePort(); // nothing listens there yet
    String dlqName = "payments-dlq-" + unique();
    String dlq = OwnSqs.queueUrl(dlqPort, dlqName);
    String id = send(sqs.client(), queue, "poison");
    AtomicInteger runs = new AtomicInteger();
    CountingObserver metrics = new CountingObserver();
    try (SqsClient dlqClient = OwnSqs.client(OwnSqs.endpoint(dlqPort))) {
      Watched sink = new Watched(SqsDeadLetterSink.builder(dlqClient, dlq).build());
      try (Source source = SqsSource.builder(sqs.client(), queue).lease(Duration.ofSeconds(2)).build();
          Worker worker = worker(source, sink, metrics, runs)) {
        worker.start();
        Waits.until("three failed records", Duration.ofSeconds(30), () -> sink.failures.size() >= 3);
        assertThat(runs).as("the processor ran once; redeliveries retried only the record").hasValue(1);
        assertThat(depth(sqs.client(), queue)).as("the message stays in its queue").isEqualTo(1);

        try (OwnSqs late = OwnSqs.start(dlqPort)) {
          assertThat(late.createQueue(dlqName)).isEqualTo(dlq);
          Waits.until("the dead letter recorded", Duration.ofSeconds(30), () -> sink.recorded.get() == 1);
          Waits.until("the message gone from its queue", Duration.ofSeconds(10),
              () -> depth(sqs.client(), queue) == 0);
          assertOneDeadLetter(late.client(), dlq, id);
        }
      }
      assertThat(runs).hasValue(1);
      assertGrowingWaits(sink.failures);
    }
  }

  @Test
  void inDbAuthorityModeTheDatabaseKeepsTheTaskDeadWhileTheDeadLetterQueueIsUnreachable() throws Exception {
    TestDatabase db = TestDatabase.get();
    String schema = db.migratedSchema("sqs_dlq_down");
    PostgresQueue tasks = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).listen(false).build();
    String queue = sqs.createQueue("tasks-" + unique());
    String taskId = tasks.enqueue("strict", "x".getBytes(StandardCharsets.UTF_8), Map.of());
    SqsTaskSource.sendTaskId(sqs.client(), queue, taskId);
    int nowhere = OwnPostgres.freePort();
    AtomicInteger runs = new AtomicInteger();
    CountingObserver metrics = new CountingObserver();
    try (SqsClient dlqClient = OwnSqs.client(OwnSqs.endpoint(nowhere))) {
      SqsDeadLetterSink dlq = SqsDeadLetterSink.builder(dlqClient, OwnSqs.queueUrl(nowhere, "tasks-dlq")).build();
      try (Source source = SqsTaskSource.builder(sqs.client(), queue, tasks).deadLetters(dlq).build();
          Worker worker = worker(source, dlq, metrics, runs)) {
        worker.start();
        Waits.until("the failed publish counted", Duration.ofSeconds(30), () -> metrics.publishFailures() == 1);
        Waits.until("the SQS message gone", Duration.ofSeconds(10), () -> depth(sqs.client(), queue) == 0);
        Thread.sleep(1500); // a redelivery, had there been one, would have reached the processor by now
      }
    }
    assertThat(runs).as("judged once").hasValue(1);
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT t.status, (SELECT count(*) FROM " + schema + ".dead_letters d WHERE d.message_id = t.id) FROM " + schema
            + ".tasks t WHERE t.id = ?")) {
      ps.setString(1, taskId);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).as("the database keeps the task DEAD").isEqualTo("DEAD");
        assertThat(rs.getLong(2)).as("with its dead letter").isEqualTo(1);
      }
    }
    assertThat(metrics.deadLetteredTotal()).isEqualTo(1);
  }

  private static Worker worker(Source source, DeadLetterSink sink, CountingObserver metrics, AtomicInteger runs) {
    return Worker.builder(source, m -> {
      runs.incrementAndGet();
      throw new IllegalArgumentException("field 'amount' is missing"); // a user error: dead at once
    }).sink(sink).observer(metrics).retryPolicy(RetryPolicy.fixed(Duration.ZERO, 3)).concurrency(2)
        .pollWait(Duration.ofSeconds(1)).pollErrorBackoff(Duration.ofMillis(200)).build();
  }

  /** Each wait between two failed records is longer than the one before (1 s, 2 s, 4 s, ...). */
  private static void assertGrowingWaits(List<Long> failures) {
    for (int i = 2; i < failures.size(); i++) {
      long before = failures.get(i - 1) - failures.get(i - 2);
      long now = failures.get(i) - failures.get(i - 1);
      assertThat(now).as("wait %d (%d ms) longer than wait %d (%d ms)", i, now / 1_000_000, i - 1, before / 1_000_000)
          .isGreaterThan(before + 500_000_000L);
    }
  }

  private static void assertOneDeadLetter(SqsClient client, String dlq, String messageId) {
    List<Message> got = client.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(1)
        .messageAttributeNames("All")).messages();
    assertThat(got).hasSize(1);
    assertThat(got.get(0).messageAttributes().get(SqsEnvelope.ID).stringValue()).isEqualTo(messageId);
    DeadLetter dl = DeadLetterJson.fromJson(got.get(0).body().getBytes(StandardCharsets.UTF_8));
    assertThat(dl.reason()).isEqualTo(DeadLetterReason.NON_RETRYABLE);
    assertThat(dl.errorMessage()).isEqualTo("field 'amount' is missing");
    assertThat(dl.attempts()).isEqualTo(1);
  }

  private static String send(SqsClient client, String queue, String body) {
    return client.sendMessage(b -> b.queueUrl(queue).messageBody(body)).messageId();
  }

  private static int depth(SqsClient client, String queue) {
    Map<QueueAttributeName, String> a = client.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes();
    return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  private static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** A real sink, watched: when each record failed, and how many went through. */
  private static final class Watched implements DeadLetterSink {
    final DeadLetterSink real;
    final List<Long> failures = new CopyOnWriteArrayList<>();
    final AtomicInteger recorded = new AtomicInteger();

    Watched(DeadLetterSink real) {
      this.real = real;
    }

    @Override
    public RecordResult record(DeadLetter deadLetter) {
      try {
        RecordResult r = real.record(deadLetter);
        recorded.incrementAndGet();
        return r;
      } catch (RuntimeException e) {
        failures.add(System.nanoTime());
        throw e;
      }
    }
  }
}
