package dev.dlq.spi;

import dev.dlq.Attempt;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One claimed message and the way to settle it: {@link #settle} is called exactly once.
 * {@link #extendLease} may be called any number of times before that, from another thread, so
 * implementations must be thread-safe between the two.
 */
public interface Delivery {

  /**
   * The message. Its {@link Message#attempt()} is this delivery's attempt number, 1-based.
   *
   * @return the message
   */
  Message message();

  /**
   * Why this delivery could not be decoded into a message, if so. The worker then dead-letters it
   * at once as {@link dev.dlq.DeadLetterReason#INVALID} without calling the processor; {@link #message()}
   * still returns the raw payload under a best-effort id and type.
   *
   * @return the decoding error, or empty (the default)
   */
  default Optional<Throwable> decodeFailure() {
    return Optional.empty();
  }

  /**
   * Earlier failed attempts the backend kept, oldest first (may be empty where it keeps none).
   *
   * @return the attempts; empty by default
   */
  default List<Attempt> history() {
    return List.of();
  }

  /**
   * Carries out {@code settlement}. The returned stage completes only when the outcome is durable
   * (that is what makes delivery at-least-once), so a backend may gather the settlements of many
   * deliveries into one write and complete them together. For {@link Settlement.Dead} it completes
   * with what the sink did (the worker counts a death only when {@link RecordResult#becameDead()});
   * for the others with {@code null}. A dead letter must be recorded idempotently: a message
   * dead-lettered twice is one dead letter. The stage completes exceptionally with a
   * {@link dev.dlq.DlqException} (for instance {@link dev.dlq.LeaseLostException}) when the outcome
   * could not be made durable; the message then returns to its source when its lease ends.
   *
   * @param settlement what becomes of the message
   * @return a stage that completes when the outcome is durable
   */
  CompletionStage<RecordResult> settle(Settlement settlement);

  /**
   * Keep the message invisible to others for {@code extension} more, while the processor runs.
   * The default does nothing.
   *
   * @param extension how much longer
   */
  default void extendLease(Duration extension) {}
}
