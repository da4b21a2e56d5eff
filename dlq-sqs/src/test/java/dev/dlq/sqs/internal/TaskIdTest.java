package dev.dlq.sqs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.sqs.SqsEnvelope;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

class TaskIdTest {
  private static String id(String body, Map<String, String> attrs) {
    Message.Builder b = Message.builder().messageId("m").body(body);
    Map<String, software.amazon.awssdk.services.sqs.model.MessageAttributeValue> a = new java.util.HashMap<>();
    attrs.forEach((k, v) -> a.put(k, Envelope.string(v)));
    return TaskConsumer.taskId(b.messageAttributes(a).build());
  }

  @Test
  void theIdIsTheAttributeOrElseTheBody() {
    assertThat(id("ignored body", Map.of(SqsEnvelope.ID, "task-1"))).isEqualTo("task-1");
    assertThat(id(" 8c3f-42 \n", Map.of())).isEqualTo("8c3f-42");
  }

  @Test
  void whatIsNotAnIdIsInvalid() {
    assertThat(id("   ", Map.of())).isNull();
    assertThat(id("two words", Map.of())).isNull();
    assertThat(id("{\"taskId\":\"1\"}", Map.of())).isNull();
    assertThat(id("[1]", Map.of())).isNull();
    assertThat(id("x".repeat(257), Map.of())).isNull();
    assertThat(id("a\u0000b", Map.of())).isNull();
  }
}
