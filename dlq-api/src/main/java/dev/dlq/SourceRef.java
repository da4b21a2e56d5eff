package dev.dlq;

import static dev.dlq.spi.Checks.notBlank;

/**
 * Where a message came from: the backend ("postgres", "sqs", "nats", "memory") and the destination
 * within it (a queue name, a queue URL, a subject). Replay sends a message back here. Immutable and
 * thread-safe; {@link #toString()} is {@code backend:destination}.
 *
 * @param backend the backend's provider name
 * @param destination the queue, URL or subject
 */
public record SourceRef(String backend, String destination) {
  /**
   * Checks the arguments.
   *
   * @param backend the backend's provider name, not blank
   * @param destination the queue, URL or subject, not blank
   * @throws IllegalArgumentException when an argument is null or blank
   */
  public SourceRef {
    notBlank(backend, "backend");
    notBlank(destination, "destination");
  }

  /**
   * Where a message came from.
   *
   * @param backend the backend's provider name, not blank
   * @param destination the queue, URL or subject, not blank
   * @return the reference
   * @throws IllegalArgumentException when an argument is null or blank
   */
  public static SourceRef of(String backend, String destination) {
    return new SourceRef(backend, destination);
  }

  @Override
  public String toString() {
    return backend + ":" + destination;
  }
}
