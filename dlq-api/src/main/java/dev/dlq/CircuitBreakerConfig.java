package dev.dlq;

import static dev.dlq.internal.Checks.atLeast;
import static dev.dlq.internal.Checks.positive;

import java.time.Duration;

/**
 * When a worker stops polling because an outage makes everything fail: after {@code minimumCalls}
 * outcomes in the window, if the share of RECOVERABLE failures reaches {@code failureRatio}, polling
 * pauses for {@code openFor}, then one poll probes; a success closes the circuit, a recoverable
 * failure opens it again. While open no message is claimed, so no retry is spent.
 *
 * @param enabled whether the breaker runs
 * @param failureRatio share of recoverable failures that opens it, in (0, 1]
 * @param minimumCalls outcomes needed in the window before it may open
 * @param window how many recent outcomes count
 * @param openFor how long polling pauses
 */
public record CircuitBreakerConfig(boolean enabled, double failureRatio, int minimumCalls, int window, Duration openFor) {
  public CircuitBreakerConfig {
    if (!(failureRatio > 0 && failureRatio <= 1)) {
      throw new IllegalArgumentException("failureRatio must be in (0, 1] but was " + failureRatio);
    }
    atLeast(minimumCalls, 1, "minimumCalls");
    atLeast(window, minimumCalls, "window");
    positive(openFor, "openFor");
  }

  /** Off. */
  public static CircuitBreakerConfig disabled() {
    return new CircuitBreakerConfig(false, 1, 1, 1, Duration.ofSeconds(1));
  }

  /** Opens at 80% recoverable failures over the last 50 outcomes (at least 20), pauses 30 s. */
  public static CircuitBreakerConfig defaults() {
    return new CircuitBreakerConfig(true, 0.8, 20, 50, Duration.ofSeconds(30));
  }

  public static CircuitBreakerConfig of(double failureRatio, int minimumCalls, int window, Duration openFor) {
    return new CircuitBreakerConfig(true, failureRatio, minimumCalls, window, openFor);
  }
}
