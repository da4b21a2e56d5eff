package dev.dlq.admin;

import java.time.Duration;

/**
 * One replay budget for the whole server: every request reserves its share of the rate before it
 * sends, so parallel requests queue behind each other instead of each getting the full rate.
 * Thread-safe.
 */
final class ReplayLimiter {
  private final double perSecond;
  private long nextFree = System.nanoTime();

  /** @param perSecond the rate; 0 for no limit */
  ReplayLimiter(double perSecond) {
    this.perSecond = perSecond;
  }

  double rate() {
    return perSecond;
  }

  /**
   * Reserves {@code n} sends and waits until the reservation starts; the caller then sends them at
   * {@link #rate()}.
   *
   * @throws HttpError 429 when the reservation would start later than {@code maxWait} from now
   */
  void acquire(int n, Duration maxWait) throws InterruptedException {
    if (perSecond <= 0 || n <= 0) {
      return;
    }
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      long start = Math.max(now, nextFree);
      wait = start - now;
      if (wait > maxWait.toNanos()) {
        throw new HttpError(429, "the replay rate limit (" + perSecond + "/s) is booked for the next "
            + (wait / 1_000_000_000L + 1) + " s; try again later");
      }
      nextFree = start + (long) (n * 1e9 / perSecond);
    }
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
    }
  }
}
