package dev.dlq.postgres;

import dev.dlq.spi.Checks;
import dev.dlq.Attempt;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.spi.Checks;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A task claimed by id ({@link PostgresQueue#claim}): its content and the lease just taken.
 * Immutable and thread-safe; the payload is copied in and out.
 *
 * @param id the task id
 * @param queue its queue
 * @param type its type
 * @param payload the body, byte-exact
 * @param headers its headers
 * @param attempt this claim's attempt number, 1-based (attempts so far, this one included)
 * @param maxAttempts the task's attempt budget
 * @param createdAt when it was enqueued (for a replayed task: when the original was first seen)
 * @param history earlier failed attempts, oldest first
 * @param leaseOwner the worker holding it
 * @param leaseUntil when the lease ends unless extended
 */
public record PostgresTask(String id, String queue, String type, byte[] payload, Map<String, String> headers,
    int attempt, int maxAttempts, Instant createdAt, List<Attempt> history, String leaseOwner, Instant leaseUntil) {

  /**
   * Checks the components and copies the payload, headers and history.
   *
   * @param id the task id
   * @param queue its queue
   * @param type its type
   * @param payload the body, byte-exact
   * @param headers its headers
   * @param attempt this claim's attempt number, 1-based (attempts so far, this one included)
   * @param maxAttempts the task's attempt budget
   * @param createdAt when it was enqueued (for a replayed task: when the original was first seen)
   * @param history earlier failed attempts, oldest first
   * @param leaseOwner the worker holding it
   * @param leaseUntil when the lease ends unless extended
   */
  public PostgresTask {
    Checks.notBlank(id, "id");
    Checks.notBlank(queue, "queue");
    Checks.notBlank(type, "type");
    payload = Checks.notNull(payload, "payload").clone();
    headers = Map.copyOf(Checks.notNull(headers, "headers"));
    Checks.atLeast(attempt, 1, "attempt");
    Checks.atLeast(maxAttempts, 1, "maxAttempts");
    Checks.notNull(createdAt, "createdAt");
    history = List.copyOf(Checks.notNull(history, "history"));
    Checks.notBlank(leaseOwner, "leaseOwner");
    Checks.notNull(leaseUntil, "leaseUntil");
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

  /**
   * This task as the message a processor sees: source {@code postgres:<queue>}.
   *
   * @return the message
   */
  public Message message() {
    return new Message(id, type, payload, headers, SourceRef.of(PostgresQueue.BACKEND, queue), attempt, createdAt);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PostgresTask t && id.equals(t.id) && queue.equals(t.queue) && type.equals(t.type)
        && Arrays.equals(payload, t.payload) && headers.equals(t.headers) && attempt == t.attempt
        && maxAttempts == t.maxAttempts && createdAt.equals(t.createdAt) && history.equals(t.history)
        && leaseOwner.equals(t.leaseOwner) && leaseUntil.equals(t.leaseUntil);
  }

  @Override
  public int hashCode() {
    return (id.hashCode() * 31 + attempt) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "PostgresTask[id=" + id + ", queue=" + queue + ", type=" + type + ", attempt=" + attempt + "/" + maxAttempts
        + ", payload=" + payload.length + " bytes, leaseOwner=" + leaseOwner + ", leaseUntil=" + leaseUntil + "]";
  }
}
