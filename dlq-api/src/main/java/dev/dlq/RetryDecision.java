package dev.dlq;

import static dev.dlq.spi.Checks.notNegative;
import static dev.dlq.spi.Checks.notNull;

import java.time.Duration;

/** A {@link RetryPolicy}'s verdict on a failure: retry after a delay, or give up. */
public sealed interface RetryDecision permits RetryDecision.RetryAfter, RetryDecision.GiveUp {

  static RetryDecision retryAfter(Duration delay) {
    return new RetryAfter(delay);
  }

  static RetryDecision giveUp(DeadLetterReason reason) {
    return new GiveUp(reason);
  }

  /** Retry once {@code delay} has passed. */
  record RetryAfter(Duration delay) implements RetryDecision {
    public RetryAfter {
      notNegative(delay, "delay");
    }
  }

  /** Dead-letter the message for {@code reason}. */
  record GiveUp(DeadLetterReason reason) implements RetryDecision {
    public GiveUp {
      notNull(reason, "reason");
    }
  }
}
