package dev.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeadLetterJsonTest {
  private static DeadLetter sample(byte[] payload) {
    Message m = new Message("m-1", "order.created", payload, Map.of("tenant", "acme", "ünï", "cödé \"q\""),
        SourceRef.of("sqs", "https://sqs.local/000/orders"), 3, Instant.parse("2026-01-01T00:00:00Z"));
    Attempt a1 = new Attempt(1, Instant.parse("2026-01-01T00:00:01Z"), ErrorClass.RECOVERABLE, "java.io.IOException",
        "timeout", Duration.ofMillis(12), "w-1");
    Attempt a2 = new Attempt(2, Instant.parse("2026-01-01T00:00:05Z"), ErrorClass.SYSTEM_ERROR, "java.lang.NullPointerException",
        "null", Duration.ofMillis(3), "w-2");
    return DeadLetter.builder(m).errorClass(ErrorClass.SYSTEM_ERROR).errorType("java.lang.NullPointerException")
        .errorMessage("null\nline two").stackTrace("java.lang.NullPointerException\n\tat a.B.c(B.java:1)\n")
        .attempts(3).maxAttempts(3).firstFailureAt(a1.at()).lastFailureAt(a2.at())
        .deadAt(Instant.parse("2026-01-01T00:00:06.123456789Z")).workerId("w-2").reason(DeadLetterReason.EXHAUSTED)
        .fingerprint("abc123").history(List.of(a1, a2)).build();
  }

  @Test
  void roundTripKeepsEveryFieldAndThePayloadBytes() {
    byte[] payload = new byte[4096];
    new Random(42).nextBytes(payload);
    DeadLetter dl = sample(payload);
    DeadLetter back = DeadLetterJson.fromJson(DeadLetterJson.toJson(dl));
    assertThat(back).isEqualTo(dl);
    assertThat(back.message().payload()).isEqualTo(payload);
  }

  @Test
  void storedRoundTripKeepsStatusAndLineage() {
    StoredDeadLetter s = new StoredDeadLetter(sample("{}".getBytes(StandardCharsets.UTF_8)), DeadLetterStatus.REPLAYED, 2, 1,
        Optional.of("r-1"), Optional.of("alice"), Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(DeadLetterJson.storedFromJson(DeadLetterJson.toJson(s))).isEqualTo(s);
  }

  @Test
  void theIdIsDerivedFromSourceAndMessageId() {
    DeadLetter dl = sample(new byte[0]);
    assertThat(dl.id()).isEqualTo(DeadLetter.idFor(SourceRef.of("sqs", "https://sqs.local/000/orders"), "m-1"));
    assertThat(DeadLetter.idFor(SourceRef.of("sqs", "other"), "m-1")).isNotEqualTo(dl.id());
    assertThat(dl.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void theJsonIsReadable() {
    String json = new String(DeadLetterJson.toJson(sample("hi".getBytes(StandardCharsets.UTF_8))), StandardCharsets.UTF_8);
    assertThat(json).startsWith("{\"format\":\"dlq.dead-letter/1\"").contains("\"payload\":\"aGk=\"")
        .contains("\"reason\":\"EXHAUSTED\"").contains("\"class\":\"SYSTEM_ERROR\"");
  }

  @Test
  void aBuilderDescribesAThrowableAndFingerprintsItLikeAWorker() {
    Message m = Message.of("m-9", "order", new byte[0], SourceRef.of("memory", "q"), 2, Instant.EPOCH);
    IllegalStateException boom = new IllegalStateException("order 1234 failed", new java.io.IOException("disk"));
    DeadLetter dl = DeadLetter.builder(m).error(boom).reason(DeadLetterReason.LEASE_EXPIRED).build();
    assertThat(dl.errorType()).isEqualTo(IllegalStateException.class.getName());
    assertThat(dl.errorMessage()).isEqualTo("order 1234 failed");
    assertThat(dl.stackTrace()).contains("Caused by: java.io.IOException: disk");
    assertThat(dl.fingerprint()).isEqualTo(DeadLetter.fingerprintOf(dl.errorType(), "order 1234 failed", boom, "order"))
        .isEqualTo(DeadLetter.fingerprintOf(dl.errorType(), "order 5678 failed", boom, "order"))
        .isNotEqualTo(DeadLetter.fingerprintOf(dl.errorType(), "order 1234 failed", boom, "invoice"));
  }

  @Test
  void malformedInputIsAClearError() {
    assertThatThrownBy(() -> DeadLetterJson.fromJson("{".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidMessageException.class).hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> DeadLetterJson.fromJson("{\"format\":\"other\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidMessageException.class).hasMessageContaining("format must be 'dlq.dead-letter/1'");
    assertThatThrownBy(() -> DeadLetterJson.fromJson("{\"format\":\"dlq.dead-letter/1\",\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidMessageException.class).hasMessageContaining("not a dead letter");
  }
}
