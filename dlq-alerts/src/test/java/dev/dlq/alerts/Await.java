package dev.dlq.alerts;

import java.time.Duration;
import java.util.function.BooleanSupplier;

final class Await {
  private Await() {}

  static void until(String what, Duration max, BooleanSupplier done) {
    long end = System.nanoTime() + max.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + max + " waiting until " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
