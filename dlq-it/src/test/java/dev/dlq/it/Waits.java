package dev.dlq.it;

import java.time.Duration;

/** Polls a condition until it holds or a deadline passes (then fails the test with what it waited for). */
final class Waits {
  private Waits() {}

  interface Check {
    boolean ok() throws Exception;
  }

  static void until(String what, Duration timeout, Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
