package dev.dlq.internal.engine;

import dev.dlq.CircuitBreakerConfig;
import dev.dlq.DlqMetrics;
import dev.dlq.Worker.CircuitState;

/** A count-based circuit breaker over the last outcomes; only RECOVERABLE failures count against it. */
final class Breaker {
  private final CircuitBreakerConfig config;
  private final DlqMetrics metrics;
  private final String workerId;
  private final boolean[] window;
  private int next;
  private int size;
  private int failures;
  private volatile CircuitState state = CircuitState.CLOSED;
  private long openUntilNanos;

  Breaker(CircuitBreakerConfig config, DlqMetrics metrics, String workerId) {
    this.config = config;
    this.metrics = metrics;
    this.workerId = workerId;
    this.window = new boolean[config.window()];
  }

  CircuitState state() {
    return state;
  }

  /** Records one outcome; {@code recoverableFailure} is true for a RECOVERABLE failure. */
  void record(boolean recoverableFailure) {
    if (config.enabled()) {
      recordEnabled(recoverableFailure);
    }
  }

  private synchronized void recordEnabled(boolean recoverableFailure) {
    if (state == CircuitState.HALF_OPEN) {
      if (recoverableFailure) {
        open();
      } else {
        reset();
        transition(CircuitState.CLOSED);
      }
      return;
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
    if (state == CircuitState.CLOSED && size >= config.minimumCalls()
        && failures >= config.failureRatio() * size) {
      open();
    }
  }

  /**
   * How long the poller must wait before polling, in nanoseconds; 0 to poll now. Moves OPEN to
   * HALF_OPEN once the pause is over.
   */
  long pauseNanos() {
    return state != CircuitState.OPEN ? 0 : pauseWhileOpen();
  }

  private synchronized long pauseWhileOpen() {
    if (state != CircuitState.OPEN) {
      return 0;
    }
    long left = openUntilNanos - System.nanoTime();
    if (left > 0) {
      return left;
    }
    transition(CircuitState.HALF_OPEN);
    return 0;
  }

  boolean probing() {
    return state == CircuitState.HALF_OPEN;
  }

  private void open() {
    reset();
    openUntilNanos = System.nanoTime() + config.openFor().toNanos();
    transition(CircuitState.OPEN);
  }

  private void reset() {
    next = 0;
    size = 0;
    failures = 0;
    java.util.Arrays.fill(window, false);
  }

  private void transition(CircuitState to) {
    state = to;
    metrics.circuit(workerId, to.name().toLowerCase(java.util.Locale.ROOT), to.ordinal());
  }
}
