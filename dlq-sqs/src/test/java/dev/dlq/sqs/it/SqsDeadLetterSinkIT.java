package dev.dlq.sqs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterJson;
import dev.dlq.DeadLetterReason;
import dev.dlq.Dlq;
import dev.dlq.DlqException;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.SourceRef;
import dev.dlq.sqs.SqsDeadLetterSink;
import dev.dlq.sqs.SqsEnvelope;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The dead-letter sink on its own (FIFO deduplication, refusal), and the "sqs" provider against a real server. */
class SqsDeadLetterSinkIT {

  private static DeadLetter deadLetter(String id) {
    Message m = Message.of(id, "order", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), SourceRef.of("sqs", "q"), 2,
        Instant.parse("2025-01-01T00:00:00Z"));
    return DeadLetter.builder(m).errorClass(ErrorClass.SYSTEM_ERROR).errorType("java.lang.IllegalStateException")
        .errorMessage("boom").reason(DeadLetterReason.EXHAUSTED).maxAttempts(2).workerId("w-1").build();
  }

  @Test
  void aFifoDeadLetterQueueKeepsOneMessagePerDeadLetterId() {
    String fifo = SqsServer.fifoQueue("sink");
    SqsDeadLetterSink sink = SqsDeadLetterSink.builder(SqsServer.client(), fifo).build();
    DeadLetter dl = deadLetter("m-1");

    assertThat(sink.record(dl)).isEqualTo(RecordResult.CREATED);
    assertThat(sink.record(dl)).isEqualTo(RecordResult.CREATED); // a second publish after a crash
    sink.record(deadLetter("m-2"));

    var got = SqsServer.client().receiveMessage(b -> b.queueUrl(fifo).maxNumberOfMessages(10).waitTimeSeconds(2)
        .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    assertThat(got).hasSize(2);
    var first = got.stream().filter(m -> m.messageAttributes().get(SqsEnvelope.ID).stringValue().equals("m-1"))
        .findFirst().orElseThrow();
    assertThat(first.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID)).isEqualTo(dl.id());
    assertThat(first.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)).isEqualTo(dl.id());
    DeadLetter back = DeadLetterJson.fromJson(first.body().getBytes(StandardCharsets.UTF_8));
    assertThat(back.id()).isEqualTo(dl.id());
    assertThat(back.message().payload()).isEqualTo(dl.message().payload());
    assertThat(back.errorMessage()).isEqualTo("boom");
  }

  @Test
  void aRefusedPublishThrowsWithTheSdkCause() {
    String gone = SqsServer.queue("gone");
    SqsServer.client().deleteQueue(b -> b.queueUrl(gone));
    SqsDeadLetterSink sink = SqsDeadLetterSink.builder(SqsServer.client(), gone).build();
    assertThatThrownBy(() -> sink.record(deadLetter("m-1"))).isInstanceOf(DlqException.class)
        .hasMessageContaining("could not send dead letter").hasMessageContaining("m-1")
        .hasCauseInstanceOf(software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException.class);
  }

  @Test
  void theProviderBuildsSourcesAndSinksFromSettings() throws Exception {
    String queue = SqsServer.queue("prov");
    String dlq = SqsServer.queue("prov-dlq");
    String queueName = queue.substring(queue.lastIndexOf('/') + 1);
    String dlqName = dlq.substring(dlq.lastIndexOf('/') + 1);
    Map<String, String> common = Map.of("endpoint", SqsServer.endpoint(), "region", "us-east-1", "accessKeyId", "x",
        "secretAccessKey", "x");
    SqsServer.client().sendMessage(SqsEnvelope.request(queue, null, null, "hi".getBytes(StandardCharsets.UTF_8), Map.of())
        .build());

    Map<String, String> src = new java.util.HashMap<>(common);
    src.put("queue", queueName);
    src.put("type", "greeting");
    src.put("lease", "10s");
    Map<String, String> snk = new java.util.HashMap<>(common);
    snk.put("dlq", dlqName);
    try (Source source = Dlq.source("sqs", src); DeadLetterSink sink = Dlq.sink("sqs", snk)) {
      assertThat(source.lease()).isEqualTo(Duration.ofSeconds(10));
      List<? extends Delivery> got = List.of();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (got.isEmpty() && System.nanoTime() < deadline) {
        got = source.poll(10, Duration.ofSeconds(1));
      }
      assertThat(got).hasSize(1);
      Delivery d = got.get(0);
      assertThat(d.message().type()).isEqualTo("greeting");
      assertThat(d.message().source()).isEqualTo(SourceRef.of("sqs", queue));
      source.open(dev.dlq.contract.TestContext.of(source, sink));
      dev.dlq.contract.Settle.dead(d, DeadLetter.builder(d.message()).reason(DeadLetterReason.REJECTED).build());
    }
    assertThat(SqsServer.peek(dlq, 1, Duration.ofSeconds(5))).hasSize(1);
    assertThat(SqsServer.depth(queue)).isZero();

    Map<String, String> missing = new java.util.HashMap<>(common);
    missing.put("queue", "no-such-queue");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Dlq.source("sqs", missing))
        .isInstanceOf(DlqException.class).hasMessageContaining("no URL for queue 'no-such-queue'");
  }
}
