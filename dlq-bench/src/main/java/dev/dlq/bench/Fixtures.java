package dev.dlq.bench;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Messages, errors and dead letters shared by the benchmarks; deterministic so runs compare. */
public final class Fixtures {
  public static final SourceRef SOURCE = SourceRef.of("postgres", "orders");
  public static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private Fixtures() {}

  /** A JSON payload of exactly {@code size} bytes (ASCII). */
  public static byte[] payload(int size) {
    StringBuilder sb = new StringBuilder(size).append("{\"orderId\":\"o-42\",\"customer\":\"c-7\",\"note\":\"");
    while (sb.length() < size - 2) {
      sb.append((char) ('a' + sb.length() % 26));
    }
    sb.append("\"}");
    byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
    if (b.length != size) {
      throw new IllegalArgumentException("size must be >= 48 but was " + size);
    }
    return b;
  }

  public static Message message(String id, int payloadBytes, int attempt) {
    return new Message(id, "order.created", payload(payloadBytes),
        Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tenant", "acme"),
        SOURCE, attempt, T0);
  }

  /** An exception thrown (not just created) a few frames deep, so its stack trace is a real one. */
  public static Throwable thrown(String kind) {
    try {
      return depth(6, kind);
    } catch (Exception e) {
      return e;
    }
  }

  private static Throwable depth(int n, String kind) throws Exception {
    if (n > 0) {
      return depth(n - 1, kind);
    }
    switch (kind) {
      case "recoverable":
        throw new SocketTimeoutException("read timed out after 5000 ms calling http://inventory:8080/items/123");
      case "user":
        throw new IllegalArgumentException("quantity must be >= 1 but was -3 for order 8f14e45f-ceea-467f-a9f0-9c1b2d3e4f50");
      case "system":
        throw new IllegalStateException("inventory client not initialised", new NullPointerException("client"));
      default:
        throw new IllegalArgumentException("kind must be recoverable, user or system but was " + kind);
    }
  }

  /** A dead letter as the engine writes one: 3 attempts of history, a real stack trace. */
  public static DeadLetter deadLetter(int payloadBytes) {
    Message m = message("m-1", payloadBytes, 3);
    Throwable t = thrown("system");
    List<Attempt> history = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      history.add(new Attempt(i, T0.plusSeconds(i), ErrorClass.SYSTEM_ERROR, t.getClass().getName(),
          t.getMessage(), Duration.ofMillis(3), "worker-bench"));
    }
    java.io.StringWriter sw = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(sw));
    return DeadLetter.builder(m)
        .errorClass(ErrorClass.SYSTEM_ERROR)
        .errorType(t.getClass().getName())
        .errorMessage(t.getMessage())
        .stackTrace(sw.toString())
        .attempts(3)
        .maxAttempts(3)
        .firstFailureAt(T0.plusSeconds(1))
        .lastFailureAt(T0.plusSeconds(3))
        .deadAt(T0.plusSeconds(3))
        .workerId("worker-bench")
        .reason(DeadLetterReason.EXHAUSTED)
        .fingerprint("3f2a9c0b1d4e5f60")
        .history(history)
        .build();
  }
}
