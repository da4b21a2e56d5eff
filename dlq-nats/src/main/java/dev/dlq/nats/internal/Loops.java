package dev.dlq.nats.internal;

import io.nats.client.JetStreamSubscription;
import org.slf4j.Logger;

/** What the background pull loops (backstop, monitor) share: pausing after an error, and stopping. */
final class Loops {
  private Loops() {}

  /** Sleeps, keeping an interrupt for the loop to see. */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits up to {@code joinMillis} for {@code thread} (already told to stop), then drops the subscription. */
  static void stop(Thread thread, long joinMillis, JetStreamSubscription sub, Logger log, String what) {
    try {
      thread.join(joinMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      sub.unsubscribe();
    } catch (RuntimeException e) {
      log.debug("unsubscribe of {} failed", what, e);
    }
  }
}
