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

  /** What the worker does with a failure, given the circuit. */
  enum Verdict {
    /** Settle as decided. */
    AS_DECIDED,
    /** The failure opened the circuit or ended while it was open: the outage caused it, hand it back. */
    HAND_BACK,
    /**
     * The half-open probe failed and the circuit is open again. The engine hands the message back the
     * first time and spends the attempt when the same message fails its probe again (never the last one).
     */
    PROBE_FAILED
  }

  /**
   * Records one outcome ({@code recoverableFailure} true for a RECOVERABLE failure) and says what to do
   * with it.
   */
  Verdict record(boolean recoverableFailure) {
    if (!config.enabled()) {
      return Verdict.AS_DECIDED;
    }
    synchronized (this) {
      if (state == CircuitState.HALF_OPEN) {
        if (recoverableFailure) {
          pauseMillis = Math.min((long) (pauseMillis * GROWTH), config.maxOpenFor().toMillis());
          open();
          return Verdict.PROBE_FAILED;
        }
        pauseMillis = config.openFor().toMillis();
        reset();
        transition(CircuitState.CLOSED);
        return Verdict.AS_DECIDED;
      }
      if (state == CircuitState.OPEN) {
        return recoverableFailure ? Verdict.HAND_BACK : Verdict.AS_DECIDED;
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
        return recoverableFailure ? Verdict.HAND_BACK : Verdict.AS_DECIDED;
      }
      return Verdict.AS_DECIDED;
    }
  }

  /** How long the circuit stays open from now; zero when it is not open. */
  synchronized long openMillisLeft() {
    return state == CircuitState.OPEN ? Math.max(0, openUntilMillis - clock.millis()) : 0;
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
