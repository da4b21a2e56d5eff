package dev.dlq;

import dev.dlq.spi.Checks;
import static dev.dlq.spi.Checks.atLeast;
import static dev.dlq.spi.Checks.positive;

import java.time.Duration;

/**
 * When a worker stops polling because an outage makes everything fail: after {@code minimumCalls}
 * outcomes in the window, if the share of RECOVERABLE failures reaches {@code failureRatio}, polling
 * pauses for {@code openFor}; then one message probes (half-open). A success closes the circuit; a
 * recoverable failure opens it again for a pause 1.5 times longer, never longer than
 * {@code maxOpenFor}. While the circuit is open no message is claimed. A recoverable failure that
 * opens it or ends while it is open (the probe, or messages already running) hands its message back,
 * invisible until the circuit is due to close so that the next probe takes another message. On
 * PostgreSQL and in memory a hand-back spends no attempt, so an outage uses up no retry budget; SQS
 * and NATS count every redelivery, a handed-back one too. A message whose probe fails a second time
 * spends that attempt like any failure, so a few messages failing on their own no longer stop the
 * worker; on PostgreSQL and in memory the last attempt is never spent that way (an outage
 * dead-letters nothing there). A queue holding only messages that keep failing recoverably on their
 * last attempt therefore looks like an outage: the circuit stays open, probing every
 * {@code maxOpenFor}, until one succeeds or an operator removes them (the worker's
 * {@code dlq_circuit_state} gauge shows it).
 *
 * <p>{@code maxOpenFor} bounds how long after the end of an outage the drain resumes: keep it short
 * unless each probe is expensive. Pauses are measured on the worker's {@link java.time.Clock}.
 * Immutable and thread-safe.
 *
 * @param enabled whether the breaker runs
 * @param failureRatio share of recoverable failures that opens it, in (0, 1]
 * @param minimumCalls outcomes needed in the window before it may open
 * @param window how many recent outcomes count
 * @param openFor the first pause
 * @param maxOpenFor the longest pause, at least {@code openFor}
 */
public record CircuitBreakerConfig(boolean enabled, double failureRatio, int minimumCalls, int window, Duration openFor,
    Duration maxOpenFor) {
  /**
   * Checks the arguments, also when the breaker is disabled.
   *
   * @param enabled whether the breaker runs
   * @param failureRatio share of recoverable failures that opens it, in (0, 1]
   * @param minimumCalls outcomes needed in the window before it may open, at least 1
   * @param window how many recent outcomes count, at least {@code minimumCalls}
   * @param openFor the first pause, positive
   * @param maxOpenFor the longest pause, at least {@code openFor}
   * @throws IllegalArgumentException when an argument is null or out of its range
   */
  public CircuitBreakerConfig {
    if (!(failureRatio > 0 && failureRatio <= 1)) {
      throw new IllegalArgumentException("failureRatio must be in (0, 1] but was " + failureRatio);
    }
    atLeast(minimumCalls, 1, "minimumCalls");
    atLeast(window, minimumCalls, "window");
    positive(openFor, "openFor");
    positive(maxOpenFor, "maxOpenFor");
    if (maxOpenFor.compareTo(openFor) < 0) {
      throw new IllegalArgumentException("maxOpenFor must be >= openFor (" + openFor + ") but was " + maxOpenFor);
    }
  }

  /**
   * Off: every failure goes to the retry policy, even in an outage.
   *
   * @return a disabled breaker
   */
  public static CircuitBreakerConfig disabled() {
    return new CircuitBreakerConfig(false, 1, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  /**
   * The default: opens at 80% recoverable failures over the last 20 outcomes (at least 10), pauses
   * 1 s, then up to 1.5 s between probes, so a drain resumes within about 2 s of the outage's end.
   *
   * @return the default breaker
   */
  public static CircuitBreakerConfig defaults() {
    return new CircuitBreakerConfig(true, 0.8, 10, 20, Duration.ofSeconds(1), Duration.ofMillis(1500));
  }

  /**
   * An enabled breaker whose pause grows from {@code openFor} up to {@code maxOpenFor}.
   *
   * @param failureRatio share of recoverable failures that opens it, in (0, 1]
   * @param minimumCalls outcomes needed in the window before it may open, at least 1
   * @param window how many recent outcomes count, at least {@code minimumCalls}
   * @param openFor the first pause, positive
   * @param maxOpenFor the longest pause, at least {@code openFor}
   * @return the breaker's settings
   * @throws IllegalArgumentException when an argument is null or out of its range
   */
  public static CircuitBreakerConfig of(double failureRatio, int minimumCalls, int window, Duration openFor,
      Duration maxOpenFor) {
    return new CircuitBreakerConfig(true, failureRatio, minimumCalls, window, openFor, maxOpenFor);
  }

  /**
   * An enabled breaker with a fixed pause of {@code openFor}.
   *
   * @param failureRatio share of recoverable failures that opens it, in (0, 1]
   * @param minimumCalls outcomes needed in the window before it may open, at least 1
   * @param window how many recent outcomes count, at least {@code minimumCalls}
   * @param openFor the pause, positive
   * @return the breaker's settings
   * @throws IllegalArgumentException when an argument is null or out of its range
   */
  public static CircuitBreakerConfig of(double failureRatio, int minimumCalls, int window, Duration openFor) {
    return new CircuitBreakerConfig(true, failureRatio, minimumCalls, window, openFor, openFor);
  }
}
