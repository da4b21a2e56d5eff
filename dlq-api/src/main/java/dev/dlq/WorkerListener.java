package dev.dlq;

import dev.dlq.spi.Delivery;
import java.time.Duration;

/**
 * Hears what a {@link Worker} did with each message, after the outcome is durable. For progress
 * displays, logs and tests; metrics are kept separately by {@link DlqMetrics}. Called from the
 * processing threads: implementations must be thread-safe, quick, and must not throw.
 */
public interface WorkerListener {
  /** The message succeeded and left its source. */
  default void succeeded(Message message, Duration took) {}

  /** The message failed and will be tried again after {@code delay}. */
  default void retried(Message message, Failure failure, Duration delay) {}

  /** The message was dead-lettered; {@code result} says whether this call made it dead. */
  default void deadLettered(DeadLetter deadLetter, RecordResult result) {}

  /** The message was handed back untouched (shutdown). */
  default void released(Message message) {}

  /** Settling {@code delivery} failed; it returns to the backend when its lease runs out. */
  default void settleFailed(Delivery delivery, RuntimeException error) {}

  /** Polling failed; the worker backs off and tries again. */
  default void pollFailed(RuntimeException error) {}

  /** Nothing. */
  WorkerListener NONE = new WorkerListener() {};
}
