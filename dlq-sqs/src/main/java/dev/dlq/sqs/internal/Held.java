package dev.dlq.sqs.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One received SQS message held by this process: its receipt handle and visibility clock, and the
 * calls that settle or extend it (through the queue's group-commit batches). Knows SQS's rule that a
 * message stays invisible for at most 12 hours from the receive that claimed it. Thread-safe.
 */
public final class Held {
  private static final Logger log = LoggerFactory.getLogger(Held.class);
  /** SQS: a message can stay invisible for at most 12 hours from the receive that claimed it. */
  public static final long MAX_VISIBILITY_SECONDS = 12 * 3600;
  /** Kept off the 12-hour limit so that clock skew between us and SQS cannot make a change fail. */
  private static final long SAFETY_SECONDS = 5;

  private final QueueOps ops;
  private final String receiptHandle;
  private final String what;
  private final long receivedAtNanos;
  private volatile long visibleAtNanos;

  /**
   * @param receivedAtNanos {@link System#nanoTime()} when the receive was sent (SQS's clock started no earlier)
   * @param visibility the receive's visibility timeout
   * @param what names the message in logs
   */
  public Held(QueueOps ops, String receiptHandle, long receivedAtNanos, Duration visibility, String what) {
    this.ops = ops;
    this.receiptHandle = receiptHandle;
    this.receivedAtNanos = receivedAtNanos;
    this.visibleAtNanos = receivedAtNanos + visibility.toNanos();
    this.what = what;
  }

  /** {@link System#nanoTime()} when the receive that claimed it was sent. */
  long receivedAtNanos() {
    return receivedAtNanos;
  }

  public String receiptHandle() {
    return receiptHandle;
  }

  /** Deletes the message; returns once SQS confirmed it. */
  public void delete() {
    ops.delete(receiptHandle);
  }

  /** Makes the message visible again now. */
  public void release() {
    ops.changeVisibility(receiptHandle, 0);
  }

  /**
   * Makes the message visible again after {@code delay}, rounded up to whole seconds and cut to what
   * is left of the 12 hours (logged: it then returns early).
   */
  public void visibleAfter(Duration delay) {
    long wanted = ceilSeconds(delay);
    long seconds = Math.min(wanted, secondsLeftInWindow());
    if (seconds < wanted) {
      log.warn("delay {} of {} passes SQS's 12-hour visibility limit; it returns after {} s instead", delay, what,
          seconds);
    }
    ops.changeVisibility(receiptHandle, (int) seconds);
  }

  /**
   * Pushes the visibility out to {@code extension} from now, unless more than two thirds of it are
   * still left (the engine calls this every third of a lease for every message it holds: for short
   * tasks most calls need no round trip). Never past the 12-hour limit.
   *
   * @return whether the visibility was changed
   */
  public boolean extend(Duration extension) {
    long now = System.nanoTime();
    if (visibleAtNanos - now > extension.toNanos() / 3 * 2) {
      return false;
    }
    long seconds = Math.min(ceilSeconds(extension), secondsLeftInWindow());
    if (seconds <= 0) {
      log.warn("{} has been held for 12 hours, SQS's limit; it becomes visible to other consumers", what);
      return false;
    }
    ops.changeVisibility(receiptHandle, (int) seconds);
    visibleAtNanos = now + TimeUnit.SECONDS.toNanos(seconds);
    return true;
  }

  long secondsLeftInWindow() {
    long held = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - receivedAtNanos) + 1;
    return Math.max(0, MAX_VISIBILITY_SECONDS - SAFETY_SECONDS - held);
  }

  static long ceilSeconds(Duration d) {
    long s = d.getSeconds();
    return d.getNano() > 0 ? s + 1 : s;
  }
}
