package dev.dlq;

import static dev.dlq.spi.Checks.notNegative;
import static dev.dlq.spi.Checks.notNull;

import java.time.Duration;

/**
 * A {@link RetryPolicy}'s verdict on a failure: retry after a delay, or give up. Immutable and
 * thread-safe.
 */
public sealed interface RetryDecision permits RetryDecision.RetryAfter, RetryDecision.GiveUp {

  /**
   * Retry once {@code delay} has passed.
   *
   * @param delay the delay, zero to retry at once
   * @return a {@link RetryAfter}
   * @throws IllegalArgumentException when {@code delay} is null or negative
   */
  static RetryDecision retryAfter(Duration delay) {
    return new RetryAfter(delay);
  }

  /**
   * Dead-letter the message for {@code reason}.
   *
   * @param reason why the message is given up
   * @return a {@link GiveUp}
   * @throws IllegalArgumentException when {@code reason} is null
   */
  static RetryDecision giveUp(DeadLetterReason reason) {
    return new GiveUp(reason);
  }

  /**
   * Retry once {@code delay} has passed.
   *
   * @param delay the delay, zero or positive
   */
  record RetryAfter(Duration delay) implements RetryDecision {
    /**
     * Checks the delay.
     *
     * @param delay the delay, zero or positive
     * @throws IllegalArgumentException when {@code delay} is null or negative
     */
    public RetryAfter {
      notNegative(delay, "delay");
    }
  }

  /**
   * Dead-letter the message for {@code reason}.
   *
   * @param reason why the message is given up
   */
  record GiveUp(DeadLetterReason reason) implements RetryDecision {
    /**
     * Checks the reason.
     *
     * @param reason why the message is given up
     * @throws IllegalArgumentException when {@code reason} is null
     */
    public GiveUp {
      notNull(reason, "reason");
    }
  }
}
