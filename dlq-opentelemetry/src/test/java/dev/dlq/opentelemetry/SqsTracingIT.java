package dev.dlq.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterJson;
import dev.dlq.Worker;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Source;
import dev.dlq.sqs.SqsDeadLetterSink;
import dev.dlq.sqs.RedriveRequest;
import dev.dlq.sqs.SqsEnvelope;
import dev.dlq.sqs.SqsRedrive;
import dev.dlq.sqs.SqsSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The scenario on SQS (ElasticMQ): the trace headers travel as message attributes and come back in the
 * dead-letter JSON on the DLQ queue. SQS has no {@link DeadLetterStore} to replay from (it redrives),
 * so the replay part is left to the other backends.
 */
class SqsTracingIT extends TracingScenario {
  private SqsClient sqs;
  private String queue;
  private String dlq;

  @BeforeEach
  void queues() {
    sqs = TestServers.sqs();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    queue = sqs.createQueue(b -> b.queueName("otel-" + suffix)).queueUrl();
    dlq = sqs.createQueue(b -> b.queueName("otel-dlq-" + suffix)).queueUrl();
  }

  @Override
  String send(String type, byte[] payload, Map<String, String> headers) {
    sqs.sendMessage(SqsEnvelope.request(queue, "order-1", type, payload, headers).build());
    return "order-1";
  }

  @Override
  Source source() {
    return SqsSource.builder(sqs, queue).build();
  }

  @Override
  Worker.Builder tune(Worker.Builder b) {
    return b.sink(SqsDeadLetterSink.builder(sqs, dlq).build()).pollWait(java.time.Duration.ofSeconds(1));
  }

  @Override
  DeadLetter deadLetter() {
    List<Message> got = sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(5)
        .visibilityTimeout(30).messageAttributeNames("All")).messages();
    assertThat(got).hasSize(1);
    // visible again, for the redrive
    sqs.changeMessageVisibility(b -> b.queueUrl(dlq).receiptHandle(got.get(0).receiptHandle()).visibilityTimeout(0));
    return DeadLetterJson.fromJson(got.get(0).body().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  int replay(DeadLetter dl) {
    SqsRedrive redrive = SqsRedrive.builder(sqs, dlq).target(queue).build();
    return tracing.replay(List.of(dl), "alice", () -> redrive.run(RedriveRequest.ids(List.of(dl.id())))).moved();
  }

  @Override
  DeadLetterStore store() {
    return null;
  }

  @Override
  String system() {
    return "aws_sqs";
  }
}
