package dev.dlq.postgres;

import dev.dlq.spi.Checks;
import dev.dlq.spi.Checks;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A task to enqueue: its type, payload and headers, and optionally its own id (enqueueing an id
 * that exists changes nothing, which makes outbox writes idempotent), a time to run at, and an
 * attempt budget other than the queue's. Immutable and thread-safe; the payload is copied in and out.
 *
 * @param id the task id (the message id workers see), or empty for a random UUID
 * @param type what kind of task; routes processors
 * @param payload the body, kept byte-exact
 * @param headers string headers
 * @param runAt not before this time, or empty for now
 * @param maxAttempts the attempt budget, or empty for the queue's
 */
public record NewTask(Optional<String> id, String type, byte[] payload, Map<String, String> headers,
    Optional<Instant> runAt, OptionalInt maxAttempts) {

  /**
   * Checks the components (type not blank, attempts at least 1, headers without NUL) and copies
   * the payload and headers.
   *
   * @param id the task id (the message id workers see), or empty for a random UUID
   * @param type what kind of task; routes processors
   * @param payload the body, kept byte-exact
   * @param headers string headers
   * @param runAt not before this time, or empty for now
   * @param maxAttempts the attempt budget, or empty for the queue's
   */
  public NewTask {
    Checks.notNull(id, "id");
    id.ifPresent(v -> Checks.notBlank(v, "id"));
    Checks.notBlank(type, "type");
    payload = Checks.notNull(payload, "payload").clone();
    headers = Map.copyOf(Checks.notNull(headers, "headers"));
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey().indexOf('\0') >= 0 || e.getValue().indexOf('\0') >= 0) {
        throw new IllegalArgumentException("headers must not contain NUL characters (PostgreSQL cannot store them) "
            + "but header '" + e.getKey().replace('\0', '?') + "' does");
      }
    }
    Checks.notNull(runAt, "runAt");
    Checks.notNull(maxAttempts, "maxAttempts");
    maxAttempts.ifPresent(n -> Checks.atLeast(n, 1, "maxAttempts"));
  }

  /**
   * A task with no headers, run now, with a random id.
   *
   * @param type the message type; not blank
   * @param payload the body (copied)
   * @return the task
   */
  public static NewTask of(String type, byte[] payload) {
    return new NewTask(Optional.empty(), type, payload, Map.of(), Optional.empty(), OptionalInt.empty());
  }

  /**
   * A task with headers, run now, with a random id.
   *
   * @param type the message type; not blank
   * @param payload the body (copied)
   * @param headers string headers (copied); none may hold NUL
   * @return the task
   */
  public static NewTask of(String type, byte[] payload, Map<String, String> headers) {
    return new NewTask(Optional.empty(), type, payload, headers, Optional.empty(), OptionalInt.empty());
  }

  /**
   * This task with id {@code id}.
   *
   * @param id the task id; not blank
   * @return a copy with that id
   */
  public NewTask withId(String id) {
    return new NewTask(Optional.of(Checks.notBlank(id, "id")), type, payload, headers, runAt, maxAttempts);
  }

  /**
   * This task, not to run before {@code at}.
   *
   * @param at the earliest run time
   * @return a copy with that run time
   */
  public NewTask withRunAt(Instant at) {
    return new NewTask(id, type, payload, headers, Optional.of(Checks.notNull(at, "runAt")), maxAttempts);
  }

  /**
   * This task with an attempt budget of {@code n}.
   *
   * @param n the attempt budget; at least 1
   * @return a copy with that budget
   */
  public NewTask withMaxAttempts(int n) {
    return new NewTask(id, type, payload, headers, runAt, OptionalInt.of(Checks.atLeast(n, 1, "maxAttempts")));
  }

  /**
   * The body; a copy, so the task stays immutable.
   *
   * @return a copy of the body
   */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload without copying; for this package only. */
  byte[] payloadUnsafe() {
    return payload;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NewTask t && id.equals(t.id) && type.equals(t.type) && java.util.Arrays.equals(payload, t.payload)
        && headers.equals(t.headers) && runAt.equals(t.runAt) && maxAttempts.equals(t.maxAttempts);
  }

  @Override
  public int hashCode() {
    return (id.hashCode() * 31 + type.hashCode()) * 31 + java.util.Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "NewTask[id=" + id.orElse("<new>") + ", type=" + type + ", payload=" + payload.length + " bytes, headers="
        + headers.keySet() + ", runAt=" + runAt.map(Instant::toString).orElse("now") + "]";
  }
}
