package dev.dlq.sqs.internal;

import java.util.concurrent.TimeUnit;

/** Spaces out work to at most {@code ratePerSecond} on average (bursts of one batch). Not thread-safe. */
final class Pacer {
  private final double nanosPerPermit;
  private long next = System.nanoTime();

  Pacer(double ratePerSecond) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("ratePerSecond must be > 0 and finite but was " + ratePerSecond);
    }
    this.nanosPerPermit = 1e9 / ratePerSecond;
  }

  /** Waits for the turn of {@code permits} more; false when interrupted (the flag is kept). */
  boolean acquire(int permits) {
    long now = System.nanoTime();
    if (next < now) {
      next = now;
    }
    long wait = next - now;
    next += (long) (permits * nanosPerPermit);
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
