package dev.dlq.spi;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import java.time.Duration;

/**
 * What becomes of one delivery, decided by the worker and carried out by the backend through
 * {@link Delivery#settle}. A backend may batch settlements of many deliveries into one write.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface Settlement
    permits Settlement.Complete, Settlement.Retry, Settlement.Dead, Settlement.Release {

  /**
   * Success: the message leaves its source.
   *
   * @return the one {@link Complete}
   */
  static Settlement complete() {
    return Complete.INSTANCE;
  }

  /**
   * Make the message available again after {@code delay}, recording {@code failed} as its last attempt.
   *
   * @param delay how long the message stays invisible, at least zero
   * @param failed the attempt that failed
   * @return a {@link Retry}
   * @throws IllegalArgumentException when an argument is null or {@code delay} is negative
   */
  static Settlement retry(Duration delay, Attempt failed) {
    return new Retry(delay, failed);
  }

  /**
   * Record {@code deadLetter} durably, then remove the message from its source.
   *
   * @param deadLetter the record to keep
   * @return a {@link Dead}
   * @throws IllegalArgumentException when {@code deadLetter} is null
   */
  static Settlement dead(DeadLetter deadLetter) {
    return new Dead(deadLetter);
  }

  /**
   * Give the message back untouched and at once: no attempt is spent where the backend allows.
   *
   * @return the {@link Release} with no delay
   */
  static Settlement release() {
    return Release.NOW;
  }

  /**
   * Give the message back untouched, visible again after {@code delay}: no attempt is spent where the
   * backend allows. The worker uses it for a message an open circuit hands back, so that it stays
   * out of the way until the circuit is due to close and the next probe takes another message.
   *
   * @param delay how long the message stays invisible, at least zero
   * @return a {@link Release}
   * @throws IllegalArgumentException when {@code delay} is null or negative
   */
  static Settlement release(Duration delay) {
    Checks.notNegative(delay, "delay");
    return delay.isZero() ? Release.NOW : new Release(delay);
  }

  /**
   * The name of this kind of settlement in logs and metrics: complete, retry, dead_letter, release.
   *
   * @return the name
   */
  String action();

  /** Success. */
  final class Complete implements Settlement {
    private static final Complete INSTANCE = new Complete();

    private Complete() {}

    @Override
    public String action() {
      return "complete";
    }

    @Override
    public String toString() {
      return "Complete";
    }
  }

  /**
   * Try again after {@code delay}.
   *
   * @param delay how long the message stays invisible, at least zero
   * @param failed the attempt that failed, kept in the message's history
   */
  record Retry(Duration delay, Attempt failed) implements Settlement {
    /**
     * Checks the arguments.
     *
     * @param delay how long the message stays invisible, at least zero
     * @param failed the attempt that failed
     * @throws IllegalArgumentException when an argument is null or {@code delay} is negative
     */
    public Retry {
      Checks.notNegative(delay, "delay");
      Checks.notNull(failed, "failed");
    }

    @Override
    public String action() {
      return "retry";
    }
  }

  /**
   * Give up: record the dead letter, then remove the message.
   *
   * @param deadLetter the record to keep
   */
  record Dead(DeadLetter deadLetter) implements Settlement {
    /**
     * Checks the argument.
     *
     * @param deadLetter the record to keep
     * @throws IllegalArgumentException when {@code deadLetter} is null
     */
    public Dead {
      Checks.notNull(deadLetter, "deadLetter");
    }

    @Override
    public String action() {
      return "dead_letter";
    }
  }

  /**
   * Hand the message back untouched (shutdown, or an open circuit breaker), visible again after
   * {@code delay}.
   *
   * @param delay how long the message stays invisible, at least zero; zero for at once
   */
  record Release(Duration delay) implements Settlement {
    private static final Release NOW = new Release(Duration.ZERO);

    /**
     * Checks the argument.
     *
     * @param delay how long the message stays invisible, at least zero
     * @throws IllegalArgumentException when {@code delay} is null or negative
     */
    public Release {
      Checks.notNegative(delay, "delay");
    }

    @Override
    public String action() {
      return "release";
    }
  }
}
