package dev.dlq.examples.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for what an example's scenario expects, polling, for a minute at most. */
public final class Await {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private Await() {}

  /**
   * Returns once {@code done} is true.
   *
   * @throws IllegalStateException naming {@code what} when it is still false after a minute
   */
  public static void until(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
