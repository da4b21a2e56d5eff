package dev.dlq.internal.engine;

import dev.dlq.CircuitBreakerConfig;
import dev.dlq.Worker.CircuitState;
import java.time.Clock;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A count-based circuit breaker over the last outcomes; only RECOVERABLE failures count against it.
 * Time comes from the worker's clock. Thread-safe.
 */
final class Breaker {
  private static final double GROWTH = 1.5;

  private final CircuitBreakerConfig config;
  private final Clock clock;
  private final Consumer<CircuitState> onChange;
  private final boolean[] window;
  private int next;
  private int size;
  private int failures;
  private volatile CircuitState state = CircuitState.CLOSED;
  private long openUntilMillis;
  private long pauseMillis;

  Breaker(CircuitBreakerConfig config, Clock clock, Consumer<CircuitState> onChange) {
    this.config = config;
    this.clock = clock;
    this.onChange = onChange;
    this.window = new boolean[config.window()];
    this.pauseMillis = config.openFor().toMillis();
  }

  CircuitState state() {
    return state;
  }

  /**
   * Records one outcome ({@code recoverableFailure} true for a RECOVERABLE failure) and returns
   * whether that failure should hand its message back instead of spending an attempt: true for a
   * recoverable failure that ends while the circuit is open or half-open, or that opened it.
   */
  boolean record(boolean recoverableFailure) {
    if (!config.enabled()) {
      return false;
    }
    synchronized (this) {
      if (state == CircuitState.HALF_OPEN) {
        if (recoverableFailure) {
          pauseMillis = Math.min((long) (pauseMillis * GROWTH), config.maxOpenFor().toMillis());
          open();
          return true;
        }
        pauseMillis = config.openFor().toMillis();
        reset();
        transition(CircuitState.CLOSED);
        return false;
      }
      if (state == CircuitState.OPEN) {
        return recoverableFailure;
      }
      if (size == window.length) {
        if (window[next]) {
          failures--;
        }
      } else {
        size++;
      }
      window[next] = recoverableFailure;
      if (recoverableFailure) {
        failures++;
      }
      next = (next + 1) % window.length;
      if (size >= config.minimumCalls() && failures >= config.failureRatio() * size) {
        open();
        return recoverableFailure;
      }
      return false;
    }
  }

  /** How long the poller must wait before polling, in milliseconds; 0 to poll now. Moves OPEN to HALF_OPEN. */
  long pauseMillis() {
    if (state != CircuitState.OPEN) {
      return 0;
    }
    synchronized (this) {
      if (state != CircuitState.OPEN) {
        return 0;
      }
      long left = openUntilMillis - clock.millis();
      if (left > 0) {
        return left;
      }
      transition(CircuitState.HALF_OPEN);
      return 0;
    }
  }

  boolean probing() {
    return state == CircuitState.HALF_OPEN;
  }

  private void open() {
    reset();
    openUntilMillis = clock.millis() + pauseMillis;
    transition(CircuitState.OPEN);
  }

  private void reset() {
    next = 0;
    size = 0;
    failures = 0;
    Arrays.fill(window, false);
  }

  private void transition(CircuitState to) {
    state = to;
    onChange.accept(to);
  }
}
