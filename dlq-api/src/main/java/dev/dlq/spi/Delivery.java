package dev.dlq.spi;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One claimed message and the ways to settle it. Exactly one of {@link #complete},
 * {@link #retry}, {@link #deadLetter} or {@link #release} is called, once; each returns only when
 * its outcome is durable (that is what makes delivery at-least-once). {@link #extendLease} may be
 * called any number of times before that, from another thread.
 */
public interface Delivery {

  /** The message. Its {@link Message#attempt()} is this delivery's attempt number, 1-based. */
  Message message();

  /**
   * Why this delivery could not be decoded into a message, if so. The worker then dead-letters it
   * at once as {@link dev.dlq.DeadLetterReason#INVALID} without calling the processor; {@link #message()}
   * still returns the raw payload under a best-effort id and type.
   */
  default Optional<Throwable> decodeFailure() {
    return Optional.empty();
  }

  /** Earlier failed attempts the backend kept, oldest first (may be empty where it keeps none). */
  default List<Attempt> history() {
    return List.of();
  }

  /** Success: remove the message from its source. */
  void complete();

  /** Make the message available again after {@code delay}, recording {@code failed} as its last error. */
  void retry(Duration delay, Attempt failed);

  /**
   * Record {@code deadLetter} durably (in {@code sink}, or atomically in the backend's own store when
   * {@code sink} is it), then remove the message from its source. Must be idempotent: a message
   * dead-lettered twice is one dead letter.
   *
   * @return what the sink did; the worker counts the message as dead-lettered when it became dead
   */
  default RecordResult deadLetter(DeadLetter deadLetter, DeadLetterSink sink) {
    RecordResult result = sink.record(deadLetter);
    complete();
    return result;
  }

  /** Give the message back untouched and at once (shutdown): no attempt is spent where the backend allows. */
  void release();

  /** Keep the message invisible to others for {@code extension} more, while the processor runs. */
  default void extendLease(Duration extension) {}
}
