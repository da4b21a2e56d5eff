package dev.dlq;

import static dev.dlq.spi.Checks.notBlank;
import static dev.dlq.spi.Checks.notNegative;

import java.time.Duration;
import java.util.Optional;

/**
 * What a {@link Processor} decided for a message. Throwing is the other way to fail: the engine
 * classifies the throwable and asks the retry policy. Immutable and thread-safe.
 */
public sealed interface Outcome permits Outcome.Success, Outcome.Retry, Outcome.DeadLetter {

  /**
   * Done: the message leaves its source.
   *
   * @return the one {@link Success}
   */
  static Outcome success() {
    return Success.INSTANCE;
  }

  /**
   * Try again after the retry policy's delay (the attempt counts against the budget).
   *
   * @return a {@link Retry} with no delay of its own
   */
  static Outcome retry() {
    return Retry.POLICY;
  }

  /**
   * Try again after {@code delay} (still bounded by the policy's attempts and cap).
   *
   * @param delay the delay, zero or positive
   * @return a {@link Retry} with that delay
   * @throws IllegalArgumentException when {@code delay} is null or negative
   */
  static Outcome retryAfter(Duration delay) {
    return new Retry(Optional.of(notNegative(delay, "delay")));
  }

  /**
   * Give up now: the message is dead-lettered with reason {@link DeadLetterReason#REJECTED}.
   *
   * @param why the explanation, kept as the dead letter's error message
   * @return a {@link DeadLetter}
   * @throws IllegalArgumentException when {@code why} is null or blank
   */
  static Outcome deadLetter(String why) {
    return new DeadLetter(notBlank(why, "why"));
  }

  /** Success. */
  record Success() implements Outcome {
    static final Success INSTANCE = new Success();
  }

  /**
   * Retry.
   *
   * @param delay the delay the processor asked for; empty means the policy decides
   */
  record Retry(Optional<Duration> delay) implements Outcome {
    static final Retry POLICY = new Retry(Optional.empty());

    /**
     * Checks the argument.
     *
     * @param delay the delay the processor asked for; empty means the policy decides
     * @throws NullPointerException when {@code delay} is null
     */
    public Retry {
      java.util.Objects.requireNonNull(delay, "delay must not be null");
    }
  }

  /**
   * Dead-letter now.
   *
   * @param why the processor's explanation, kept as the dead letter's error message
   */
  record DeadLetter(String why) implements Outcome {}
}
