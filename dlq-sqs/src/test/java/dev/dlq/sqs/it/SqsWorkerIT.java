package dev.dlq.sqs.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterJson;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RecordResult;
import dev.dlq.RetryPolicy;
import dev.dlq.SourceRef;
import dev.dlq.Worker;
import dev.dlq.contract.CountingObserver;
import dev.dlq.spi.DlqObserver;
import dev.dlq.sqs.SqsDeadLetterSink;
import dev.dlq.sqs.SqsEnvelope;
import dev.dlq.sqs.SqsSource;
import dev.dlq.spi.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** The engine ({@link Worker}) on an {@link SqsSource} with an {@link SqsDeadLetterSink}, against a real SQS server. */
class SqsWorkerIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private final SqsClient sqs = SqsServer.client();
  private final List<Worker> workers = new ArrayList<>();
  private String queue;
  private String dlq;

  @BeforeEach
  void queues() {
    queue = SqsServer.queue("work");
    dlq = SqsServer.queue("work-dlq");
  }

  @AfterEach
  void stop() {
    workers.forEach(Worker::close);
  }

  private String send(String id, String type, String body, Map<String, String> headers) {
    sqs.sendMessage(SqsEnvelope.request(queue, id, type, body.getBytes(StandardCharsets.UTF_8), headers).build());
    return id;
  }

  private final Map<Worker, CountingObserver> observed = new ConcurrentHashMap<>();

  private Worker start(Worker.Builder b) {
    CountingObserver o = new CountingObserver();
    Worker w = b.observer(o).build();
    observed.put(w, o);
    workers.add(w);
    return w.start();
  }

  private CountingObserver metrics(Worker w) {
    return observed.get(w);
  }

  private SqsSource source(Duration lease) {
    return SqsSource.builder(sqs, queue).lease(lease).build();
  }

  private SqsDeadLetterSink sink() {
    return SqsDeadLetterSink.builder(sqs, dlq).build();
  }

  @Test
  void succeededMessagesAreDeleted() {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 25; i++) {
      send("ok-" + i, "order", "{\"n\":" + i + "}", Map.of());
    }
    Worker w = start(Worker.builder(source(Duration.ofSeconds(30)), m -> {
      seen.add(m.id());
      return Outcome.success();
    }).sink(sink()).concurrency(10));

    Waits.until(PATIENCE, "25 successes", () -> metrics(w).messages("success") == 25);
    assertThat(seen).hasSize(25).allMatch(id -> id.startsWith("ok-"));
    Waits.until(PATIENCE, "an empty queue", () -> SqsServer.depth(queue) == 0);
    assertThat(SqsServer.peek(dlq, 0, Duration.ofSeconds(1))).isEmpty();
  }

  @Test
  void poisonMessageYieldsExactlyOneDeadLetterWithItsAttributes() {
    AtomicInteger poisonCalls = new AtomicInteger();
    byte[] poison = "{\"sku\":\"\u00e9\u4e2d\"}".getBytes(StandardCharsets.UTF_8);
    sqs.sendMessage(SqsEnvelope.request(queue, "p-1", "poison", poison, Map.of("tenant", "acme")).build());
    for (int i = 0; i < 5; i++) {
      send("ok-" + i, "order", "x", Map.of());
    }
    Worker w = start(Worker.builder(source(Duration.ofSeconds(30)), m -> {
      if (m.type().equals("poison")) {
        poisonCalls.incrementAndGet();
        throw new IllegalStateException("cannot handle " + m.id());
      }
      return Outcome.success();
    }).sink(sink()).retryPolicy(RetryPolicy.fixed(Duration.ZERO, 3)).concurrency(4));

    Waits.until(PATIENCE, "one death and five successes",
        () -> metrics(w).deadLetteredTotal() == 1 && metrics(w).messages("success") == 5);
    var dead = SqsServer.peek(dlq, 1, Duration.ofSeconds(5));
    assertThat(dead).hasSize(1);
    Map<String, MessageAttributeValue> a = dead.get(0).messageAttributes();
    String dlId = DeadLetter.idFor(SourceRef.of("sqs", queue), "p-1");
    assertThat(a.get(SqsEnvelope.DEAD_LETTER_ID).stringValue()).isEqualTo(dlId);
    assertThat(a.get(SqsEnvelope.ID).stringValue()).isEqualTo("p-1");
    assertThat(a.get(SqsEnvelope.TYPE).stringValue()).isEqualTo("poison");
    assertThat(a.get(SqsEnvelope.ERROR_CLASS).stringValue()).isEqualTo("SYSTEM_ERROR");
    assertThat(a.get(SqsEnvelope.ERROR_TYPE).stringValue()).isEqualTo(IllegalStateException.class.getName());
    assertThat(a.get(SqsEnvelope.REASON).stringValue()).isEqualTo("EXHAUSTED");
    assertThat(a.get(SqsEnvelope.ATTEMPTS).stringValue()).isEqualTo("3");
    assertThat(a.get(SqsEnvelope.ATTEMPTS).dataType()).isEqualTo("Number");
    assertThat(a.get(SqsEnvelope.FORMAT).stringValue()).isEqualTo(DeadLetterJson.FORMAT);

    DeadLetter dl = DeadLetterJson.fromJson(dead.get(0).body().getBytes(StandardCharsets.UTF_8));
    assertThat(dl.id()).isEqualTo(dlId);
    assertThat(dl.message().payload()).isEqualTo(poison);
    assertThat(dl.message().headers()).containsEntry("tenant", "acme");
    assertThat(dl.attempts()).isEqualTo(3);
    assertThat(dl.maxAttempts()).isEqualTo(3);
    assertThat(dl.reason()).isEqualTo(DeadLetterReason.EXHAUSTED);
    assertThat(dl.history()).extracting(h -> h.number()).containsExactly(1, 2, 3);
    assertThat(poisonCalls).hasValue(3);
    Waits.until(PATIENCE, "an empty queue", () -> SqsServer.depth(queue) == 0);
  }

  @Test
  void rejectedAndUserErrorsDieAtOnce() {
    send("r-1", "order", "x", Map.of());
    send("u-1", "order", "y", Map.of());
    Worker w = start(Worker.builder(source(Duration.ofSeconds(30)), m -> {
      if (m.id().equals("r-1")) {
        return Outcome.deadLetter("out of stock forever");
      }
      throw new IllegalArgumentException("malformed order");
    }).sink(sink()).retryPolicy(RetryPolicy.fixed(Duration.ZERO, 5)).concurrency(2));

    Waits.until(PATIENCE, "two deaths", () -> metrics(w).deadLetteredTotal() == 2);
    var dead = SqsServer.peek(dlq, 2, Duration.ofSeconds(5));
    assertThat(dead).hasSize(2);
    Map<String, String> reasonById = new java.util.HashMap<>();
    dead.forEach(m -> reasonById.put(m.messageAttributes().get(SqsEnvelope.ID).stringValue(),
        m.messageAttributes().get(SqsEnvelope.REASON).stringValue() + "/"
            + m.messageAttributes().get(SqsEnvelope.ATTEMPTS).stringValue()));
    assertThat(reasonById).containsEntry("r-1", "REJECTED/1").containsEntry("u-1", "NON_RETRYABLE/1");
  }

  @Test
  void retryWaitsForThePolicyDelayByVisibility() {
    List<Long> at = new CopyOnWriteArrayList<>();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    send("r-1", "order", "x", Map.of());
    Worker w = start(Worker.builder(source(Duration.ofSeconds(30)), m -> {
      at.add(System.nanoTime());
      attempts.add(m.attempt());
      if (m.attempt() == 1) {
        throw new java.io.IOException("downstream timed out");
      }
      return Outcome.success();
    }).sink(sink()).retryPolicy(RetryPolicy.fixed(Duration.ofSeconds(2), 3)).concurrency(2));

    Waits.until(PATIENCE, "a success after one retry", () -> metrics(w).messages("success") == 1);
    assertThat(attempts).containsExactly(1, 2);
    assertThat(metrics(w).retriesTotal()).isEqualTo(1);
    assertThat(Duration.ofNanos(at.get(1) - at.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    Waits.until(PATIENCE, "an empty queue", () -> SqsServer.depth(queue) == 0);
  }

  @Test
  void undecodableMessageIsDeadLetteredAtOnceWithoutCallingTheProcessor() {
    sqs.sendMessage(b -> b.queueUrl(queue).messageBody("*** not base64 ***").messageAttributes(Map.of(
        SqsEnvelope.ENCODING, MessageAttributeValue.builder().dataType("String").stringValue("base64").build(),
        SqsEnvelope.ID, MessageAttributeValue.builder().dataType("String").stringValue("bad-1").build())));
    AtomicInteger calls = new AtomicInteger();
    Worker w = start(Worker.builder(source(Duration.ofSeconds(30)), m -> {
      calls.incrementAndGet();
      return Outcome.success();
    }).sink(sink()).concurrency(2));

    Waits.until(PATIENCE, "one death", () -> metrics(w).deadLetteredTotal() == 1);
    var dead = SqsServer.peek(dlq, 1, Duration.ofSeconds(5));
    assertThat(dead).hasSize(1);
    DeadLetter dl = DeadLetterJson.fromJson(dead.get(0).body().getBytes(StandardCharsets.UTF_8));
    assertThat(dl.reason()).isEqualTo(DeadLetterReason.INVALID);
    assertThat(dl.attempts()).isEqualTo(1);
    assertThat(dl.message().id()).isEqualTo("bad-1");
    assertThat(dl.message().payloadAsString()).isEqualTo("*** not base64 ***");
    assertThat(calls).hasValue(0);
    Waits.until(PATIENCE, "an empty queue", () -> SqsServer.depth(queue) == 0);
  }

  @Test
  void heartbeatKeepsALongTaskInvisibleToOthers() throws Exception {
    send("slow-1", "order", "x", Map.of());
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    Worker w = start(Worker.builder(source(Duration.ofSeconds(2)), m -> {
      attempts.add(m.attempt());
      Thread.sleep(6000); // three leases long
      return Outcome.success();
    }).sink(sink()).concurrency(1).prefetch(0));

    Waits.until(PATIENCE, "the task to start", () -> !attempts.isEmpty());
    // meanwhile another consumer must see nothing: the lease is extended while the processor runs
    int stolen = 0;
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < until) {
      stolen += sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1).visibilityTimeout(1)).messages().size();
    }
    Waits.until(PATIENCE, "the success", () -> metrics(w).messages("success") == 1);
    assertThat(stolen).as("receives by another consumer while the task ran").isZero();
    assertThat(attempts).containsExactly(1);
    Waits.until(PATIENCE, "an empty queue", () -> SqsServer.depth(queue) == 0);
  }

  @Test
  void aWorkerStoppedMidBatchLosesNothing() {
    Set<String> all = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 30; i++) {
      all.add(send("s-" + i, "order", "x", Map.of()));
    }
    Set<String> done = ConcurrentHashMap.newKeySet();
    AtomicInteger released = new AtomicInteger();
    DlqObserver listener = new DlqObserver() {
      @Override
      public void succeeded(Message message, Duration took) {
        done.add(message.id());
      }

      @Override
      public void released(Message message) {
        released.incrementAndGet();
      }
    };
    Worker first = start(Worker.builder(source(Duration.ofSeconds(30)), m -> {
      Thread.sleep(400);
      return Outcome.success();
    }).sink(sink()).concurrency(4).prefetch(6).observer(listener).shutdownTimeout(Duration.ofMillis(100)));
    Waits.until(PATIENCE, "a few successes", () -> done.size() >= 4);
    first.shutdown(); // in-flight ones are interrupted and released, prefetched ones released

    assertThat(done.size() + released.get()).isLessThanOrEqualTo(30);
    Worker second = start(Worker.builder(source(Duration.ofSeconds(30)), m -> Outcome.success())
        .sink(sink()).concurrency(4).observer(listener));
    Waits.until(PATIENCE, "every message done", () -> done.containsAll(all));
    assertThat(released.get()).as("messages handed back by the stopped worker").isPositive();
    Waits.until(PATIENCE, "an empty queue", () -> SqsServer.depth(queue) == 0);
    assertThat(metrics(second).deadLetteredTotal()).isZero();
    assertThat(SqsServer.peek(dlq, 0, Duration.ofSeconds(1))).isEmpty();
  }

  @Test
  void aFailedDeadLetterPublishKeepsTheOriginal() {
    String gone = SqsServer.queue("gone-dlq");
    sqs.deleteQueue(b -> b.queueUrl(gone));
    send("p-1", "order", "x", Map.of());
    List<Message> failedSettles = new CopyOnWriteArrayList<>();
    List<RecordResult> results = new CopyOnWriteArrayList<>();
    Worker w = start(Worker.builder(source(Duration.ofSeconds(30)), m -> Outcome.deadLetter("no"))
        .sink(SqsDeadLetterSink.builder(sqs, gone).build()).concurrency(1).shutdownTimeout(Duration.ofSeconds(5))
        .observer(new DlqObserver() {
          @Override
          public void settleFailed(Message message, String action, RuntimeException error) {
            failedSettles.add(message);
          }

          @Override
          public void deadLettered(DeadLetter deadLetter, RecordResult result, Duration took) {
            results.add(result);
          }
        }));
    Waits.until(PATIENCE, "the failed settle", () -> !failedSettles.isEmpty());
    w.shutdown();

    assertThat(results).isEmpty();
    assertThat(metrics(w).deadLetteredTotal()).isZero();
    assertThat(SqsServer.depth(queue)).as("the original stays in its queue").isEqualTo(1);
  }

  @Test
  void deadLettersCarryErrorClassFromTheDefaultClassifier() {
    send("t-1", "order", "x", Map.of());
    Worker w = start(Worker.builder(source(Duration.ofSeconds(30)), m -> {
      throw software.amazon.awssdk.services.sqs.model.SqsException.builder().statusCode(403).message("denied").build();
    }).sink(sink()).retryPolicy(RetryPolicy.fixed(Duration.ZERO, 3)).concurrency(1));

    Waits.until(PATIENCE, "one death", () -> metrics(w).deadLetteredTotal() == 1);
    var dead = SqsServer.peek(dlq, 1, Duration.ofSeconds(5));
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).messageAttributes().get(SqsEnvelope.ERROR_CLASS).stringValue())
        .isEqualTo(ErrorClass.USER_ERROR.name());
    assertThat(dead.get(0).messageAttributes().get(SqsEnvelope.REASON).stringValue()).isEqualTo("NON_RETRYABLE");
  }

  @Test
  void aMessageThatKeepsCrashingItsWorkersIsDeadLetteredAsLeaseExpired() {
    send("crash-1", "order", "x", Map.of());
    // two workers took it and died without settling it
    for (int i = 0; i < 2; i++) {
      Waits.until(PATIENCE, "receive " + (i + 1), () -> !sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)
          .visibilityTimeout(1)).messages().isEmpty());
    }
    CountingObserver metrics = new CountingObserver();
    AtomicInteger calls = new AtomicInteger();
    // the guard is the worker's attempt budget (2) plus the slack (0): a third receive is a crash loop
    SqsSource guarded = SqsSource.builder(sqs, queue).crashLoopSlack(0).build();
    start(Worker.builder(guarded, m -> {
      calls.incrementAndGet();
      return Outcome.success();
    }).sink(sink()).retryPolicy(RetryPolicy.fixed(Duration.ZERO, 2)).observer(metrics).concurrency(2));

    Waits.until(PATIENCE, "the crash loop dead-lettered", () -> metrics.deadLetteredTotal() == 1);
    var dead = SqsServer.peek(dlq, 1, Duration.ofSeconds(5));
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).messageAttributes().get(SqsEnvelope.REASON).stringValue()).isEqualTo("LEASE_EXPIRED");
    assertThat(dead.get(0).messageAttributes().get(SqsEnvelope.ATTEMPTS).stringValue()).isEqualTo("3");
    assertThat(calls).as("the processor never saw it again").hasValue(0);
    Waits.until(PATIENCE, "an empty queue", () -> SqsServer.depth(queue) == 0);
  }

  @Test
  void asynchronousCompletionDeletesEverythingByClose() {
    for (int i = 0; i < 40; i++) {
      send("a-" + i, "order", "x", Map.of());
    }
    SqsSource async = SqsSource.builder(sqs, queue).completion(SqsSource.Completion.ASYNC).build();
    Worker w = start(Worker.builder(async, m -> Outcome.success()).sink(sink()).concurrency(2));
    Waits.until(PATIENCE, "40 successes", () -> metrics(w).messages("success") == 40);
    w.close();
    async.close(); // sends the deletes still queued
    assertThat(SqsServer.depth(queue)).isZero();
  }
}
