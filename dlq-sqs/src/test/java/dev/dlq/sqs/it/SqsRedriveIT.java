package dev.dlq.sqs.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.spi.Delivery;
import dev.dlq.sqs.RedriveRequest;
import dev.dlq.sqs.RedriveResult;
import dev.dlq.sqs.SqsDeadLetterSink;
import dev.dlq.sqs.SqsEnvelope;
import dev.dlq.sqs.SqsRedrive;
import dev.dlq.sqs.SqsSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Redrive from a dead-letter queue back to the source queue, and the native RedrivePolicy backstop. */
class SqsRedriveIT {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private final SqsClient sqs = SqsServer.client();
  private String queue;
  private String dlq;
  private SqsSource source;

  @BeforeEach
  void queues() {
    queue = SqsServer.queue("rd");
    dlq = SqsServer.queue("rd-dlq");
    source = SqsSource.builder(sqs, queue).defaultType("fallback").build();
  }

  private static byte[] binary() {
    byte[] b = new byte[300];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 7);
    }
    return b;
  }

  /** Enqueues a message, receives it and dead-letters it through the sink, as a worker would. */
  private Message killed(String id, String type, byte[] payload, Map<String, String> headers) throws Exception {
    sqs.sendMessage(SqsEnvelope.request(queue, id, type, payload, headers).build());
    Delivery d = receiveOne();
    DeadLetter dl = DeadLetter.builder(d.message()).errorClass(ErrorClass.SYSTEM_ERROR).errorType("boom")
        .reason(DeadLetterReason.EXHAUSTED).workerId("it").build();
    source.open(dev.dlq.contract.TestContext.of(source, SqsDeadLetterSink.builder(sqs, dlq).build()));
    dev.dlq.contract.Settle.dead(d, dl);
    return d.message();
  }

  private Delivery receiveOne() throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      List<? extends Delivery> got = source.poll(1, Duration.ofSeconds(1));
      if (!got.isEmpty()) {
        return got.get(0);
      }
    }
    throw new AssertionError("no message arrived in " + PATIENCE);
  }

  @Test
  void redriveReturnsTheExactPayloadIdTypeAndHeaders() throws Exception {
    Message original = killed("m-1", "invoice", binary(), Map.of("tenant", "acme", "trace-id", "t-9"));
    assertThat(SqsServer.depth(queue)).isZero();

    RedriveResult r = SqsRedrive.builder(sqs, dlq).build().run(RedriveRequest.all());

    assertThat(r.moved()).isEqualTo(1);
    assertThat(r.failed()).isZero();
    Delivery back = receiveOne();
    Message m = back.message();
    assertThat(m.id()).isEqualTo("m-1");
    assertThat(m.type()).isEqualTo("invoice");
    assertThat(m.payload()).isEqualTo(original.payload()).isEqualTo(binary());
    assertThat(m.headers()).isEqualTo(Map.of("tenant", "acme", "trace-id", "t-9"));
    assertThat(m.attempt()).as("a fresh attempt budget").isEqualTo(1);
    assertThat(back.decodeFailure()).isEmpty();
    dev.dlq.contract.Settle.complete(back);
    Waits.until(PATIENCE, "an empty dead-letter queue", () -> SqsServer.depth(dlq) == 0);
  }

  @Test
  void dryRunCountsAndMovesNothingThenSelectionsMoveOnlyTheirOwn() throws Exception {
    killed("a-1", "a", "1".getBytes(StandardCharsets.UTF_8), Map.of("tenant", "x"));
    killed("a-2", "a", "2".getBytes(StandardCharsets.UTF_8), Map.of("tenant", "y"));
    killed("b-1", "b", "3".getBytes(StandardCharsets.UTF_8), Map.of("tenant", "x"));
    SqsRedrive redrive = SqsRedrive.builder(sqs, dlq).build();

    RedriveResult dry = redrive.run(RedriveRequest.matching(Map.of(SqsEnvelope.TYPE, "a")).asDryRun());
    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.scanned()).isEqualTo(3);
    assertThat(dry.matched()).isEqualTo(2);
    assertThat(dry.moved()).isZero();
    assertThat(SqsServer.depth(queue)).isZero();
    assertThat(SqsServer.peek(dlq, 3, Duration.ofSeconds(5))).hasSize(3);

    // by an original header, then by id
    RedriveResult byHeader = redrive.run(RedriveRequest.matching(Map.of("tenant", "y")));
    assertThat(byHeader.moved()).isEqualTo(1);
    RedriveResult byId = redrive.run(RedriveRequest.ids(List.of("b-1")));
    assertThat(byId.moved()).isEqualTo(1);

    Set<String> back = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      Delivery d = receiveOne();
      back.add(d.message().id());
      dev.dlq.contract.Settle.complete(d);
    }
    assertThat(back).containsExactlyInAnyOrder("a-2", "b-1");
    var left = SqsServer.peek(dlq, 1, Duration.ofSeconds(5));
    assertThat(left).hasSize(1);
    assertThat(left.get(0).messageAttributes().get(SqsEnvelope.ID).stringValue()).isEqualTo("a-1");
  }

  @Test
  void twoRacingRedrivesMoveEachMessageOnce() throws Exception {
    for (int i = 0; i < 20; i++) {
      killed("r-" + i, "t", ("p" + i).getBytes(StandardCharsets.UTF_8), Map.of());
    }
    SqsRedrive redrive = SqsRedrive.builder(sqs, dlq).ratePerSecond(200).build();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<RedriveResult> run = () -> redrive.run(RedriveRequest.all());
      Future<RedriveResult> one = pool.submit(run);
      Future<RedriveResult> two = pool.submit(run);
      assertThat(one.get().moved() + two.get().moved()).isEqualTo(20);
    } finally {
      pool.shutdownNow();
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Delivery d = receiveOne();
      ids.add(d.message().id());
      dev.dlq.contract.Settle.complete(d);
    }
    assertThat(ids).doesNotHaveDuplicates().hasSize(20);
    assertThat(source.poll(10, Duration.ofSeconds(1))).isEmpty();
    assertThat(SqsServer.depth(dlq)).isZero();
  }

  @Test
  void nativeRedrivePolicyIsACrashBackstopAndRawMessagesGoBackUntouched() throws Exception {
    SqsRedrive.setRedrivePolicy(sqs, queue, dlq, 2);
    Map<String, MessageAttributeValue> attrs = Map.of(
        "tenant", MessageAttributeValue.builder().dataType("String").stringValue("acme").build(),
        "priority", MessageAttributeValue.builder().dataType("Number").stringValue("7").build(),
        "blob", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromByteArray(new byte[] {0, 1, 2}))
            .build());
    sqs.sendMessage(b -> b.queueUrl(queue).messageBody("crash me").messageAttributes(attrs));
    // two receives that never settle, as two crashed workers would leave it
    for (int i = 0; i < 2; i++) {
      var got = sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(5).visibilityTimeout(1)).messages();
      assertThat(got).hasSize(1);
    }
    Waits.until(PATIENCE, "SQS to move it to the dead-letter queue", () -> {
      sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1).visibilityTimeout(1));
      return SqsServer.depth(dlq) == 1;
    });

    RedriveResult noTarget = SqsRedrive.builder(sqs, dlq).build().run(RedriveRequest.all());
    assertThat(noTarget.failed()).isEqualTo(1);
    assertThat(noTarget.failures().get(0)).contains("pass a target");

    SqsRedrive.setRedrivePolicy(sqs, queue, dlq, 100);
    RedriveResult r = SqsRedrive.builder(sqs, dlq).target(queue).build().run(RedriveRequest.all());
    assertThat(r.moved()).isEqualTo(1);
    var back = SqsServer.peek(queue, 1, Duration.ofSeconds(10));
    assertThat(back).hasSize(1);
    assertThat(back.get(0).body()).isEqualTo("crash me");
    assertThat(back.get(0).messageAttributes()).isEqualTo(attrs);
  }
}
