package dev.dlq.admin;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.InMemory;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

final class Fixtures {
  private Fixtures() {}

  /** A shared in-memory backend with two dead letters from queue "orders"; returns its name. */
  static String backendWithTwoDeadLetters() {
    String name = "admin-" + UUID.randomUUID();
    InMemory mem = InMemory.named(name);
    mem.store().record(deadLetter("m-1", "order.created", ErrorClass.USER_ERROR, DeadLetterReason.NON_RETRYABLE,
        Instant.parse("2026-01-01T10:00:00Z")));
    mem.store().record(deadLetter("m-2", "payment.captured", ErrorClass.RECOVERABLE, DeadLetterReason.EXHAUSTED,
        Instant.parse("2026-01-01T11:00:00Z")));
    return name;
  }

  /** A backend with {@code n} dead letters m-1 … m-n of type "bulk.test". */
  static String backendWith(int n) {
    String name = "admin-" + UUID.randomUUID();
    InMemory mem = InMemory.named(name);
    for (int i = 1; i <= n; i++) {
      mem.store().record(deadLetter("m-" + i, "bulk.test", ErrorClass.RECOVERABLE, DeadLetterReason.EXHAUSTED,
          Instant.parse("2026-01-01T10:00:00Z").plusSeconds(i)));
    }
    return name;
  }

  static String id(String messageId) {
    return DeadLetter.idFor(SourceRef.of("memory", "orders"), messageId);
  }

  static DeadLetter deadLetter(String id, String type, ErrorClass ec, DeadLetterReason reason, Instant deadAt) {
    Message m = new Message(id, type, ("{\"id\":\"" + id + "\",\"card\":\"4111\"}").getBytes(StandardCharsets.UTF_8),
        Map.of("Authorization", "Bearer s3cret", "tenant", "acme"), SourceRef.of("memory", "orders"), 3, deadAt.minusSeconds(5));
    return DeadLetter.builder(m).errorClass(ec).errorType("java.lang.IllegalArgumentException").errorMessage("bad " + id)
        .deadAt(deadAt).reason(reason).workerId("w").fingerprint("fp").build();
  }
}
