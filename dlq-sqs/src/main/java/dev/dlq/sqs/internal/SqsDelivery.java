package dev.dlq.sqs.internal;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One received SQS message. Complete and dead-letter delete it (batched), retry and release change
 * its visibility, extendLease pushes its visibility out while the processor runs. Thread-safe.
 */
public final class SqsDelivery implements Delivery {
  private static final Logger log = LoggerFactory.getLogger(SqsDelivery.class);
  /** SQS: a message can stay invisible for at most 12 hours from the receive that claimed it. */
  public static final long MAX_VISIBILITY_SECONDS = 12 * 3600;
  /** Kept off the 12-hour limit so that clock skew between us and SQS cannot make a change fail. */
  private static final long SAFETY_SECONDS = 5;

  private final Consumer consumer;
  private final String receiptHandle;
  private final Message message;
  private final Throwable decodeFailure;
  private final long receivedAtNanos;
  private final AtomicBoolean settled = new AtomicBoolean();
  private volatile long visibleAtNanos;

  SqsDelivery(Consumer consumer, String receiptHandle, Message message, Throwable decodeFailure, long receivedAtNanos,
      long visibleAtNanos) {
    this.consumer = consumer;
    this.receiptHandle = receiptHandle;
    this.message = message;
    this.decodeFailure = decodeFailure;
    this.receivedAtNanos = receivedAtNanos;
    this.visibleAtNanos = visibleAtNanos;
  }

  @Override
  public Message message() {
    return message;
  }

  @Override
  public Optional<Throwable> decodeFailure() {
    return Optional.ofNullable(decodeFailure);
  }

  @Override
  public List<Attempt> history() {
    return consumer.histories.before(message.id(), message.attempt());
  }

  /** The SQS receipt handle of this receive. */
  public String receiptHandle() {
    return receiptHandle;
  }

  @Override
  public void complete() {
    settle("complete");
    try {
      consumer.ops.delete(receiptHandle);
      consumer.histories.forget(message.id());
    } finally {
      consumer.settled(this);
    }
  }

  @Override
  public void retry(Duration delay, Attempt failed) {
    Args.notNegative(delay, "delay");
    Args.notNull(failed, "failed");
    settle("retry");
    try {
      long wanted = ceilSeconds(delay);
      long allowed = secondsLeftInWindow();
      long seconds = Math.min(wanted, allowed);
      if (seconds < wanted) {
        log.warn("retry delay {} of message {} passes SQS's 12-hour visibility limit; it returns after {} s instead"
            + " (and that delivery counts as an attempt)", delay, message.id(), seconds);
      }
      consumer.histories.add(message.id(), failed);
      consumer.ops.changeVisibility(receiptHandle, (int) seconds);
    } finally {
      consumer.settled(this);
    }
  }

  @Override
  public RecordResult deadLetter(DeadLetter deadLetter, DeadLetterSink sink) {
    Args.notNull(deadLetter, "deadLetter");
    Args.notNull(sink, "sink");
    settle("dead-letter");
    try {
      // the original goes only once the dead letter is durable: a failed record throws and keeps it
      RecordResult result = sink.record(deadLetter);
      consumer.ops.delete(receiptHandle);
      consumer.histories.forget(message.id());
      return result;
    } finally {
      consumer.settled(this);
    }
  }

  @Override
  public void release() {
    settle("release");
    try {
      consumer.ops.changeVisibility(receiptHandle, 0);
    } finally {
      consumer.settled(this);
    }
  }

  /** Releases this delivery unless it was settled already (source close). */
  void releaseIfUnsettled() {
    if (settled.compareAndSet(false, true)) {
      try {
        consumer.ops.changeVisibility(receiptHandle, 0);
      } finally {
        consumer.settled(this);
      }
    }
  }

  /**
   * Pushes the visibility out to {@code extension} from now, unless more than two thirds of it are
   * still left (the engine calls this every third of a lease for every message it holds: most calls
   * for short tasks need no round trip). Never past the 12-hour limit of the claiming receive.
   */
  @Override
  public void extendLease(Duration extension) {
    if (settled.get()) {
      return;
    }
    long now = System.nanoTime();
    long wantedNanos = extension.toNanos();
    if (visibleAtNanos - now > wantedNanos / 3 * 2) {
      return;
    }
    long seconds = Math.min(ceilSeconds(extension), secondsLeftInWindow());
    if (seconds <= 0) {
      log.warn("message {} has been held for 12 hours, SQS's limit; it becomes visible to other consumers",
          message.id());
      return;
    }
    consumer.ops.changeVisibility(receiptHandle, (int) seconds);
    visibleAtNanos = now + TimeUnit.SECONDS.toNanos(seconds);
  }

  private long secondsLeftInWindow() {
    long held = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - receivedAtNanos) + 1;
    return Math.max(0, MAX_VISIBILITY_SECONDS - SAFETY_SECONDS - held);
  }

  static long ceilSeconds(Duration d) {
    long s = d.getSeconds();
    return d.getNano() > 0 ? s + 1 : s;
  }

  private void settle(String action) {
    if (!settled.compareAndSet(false, true)) {
      throw new IllegalStateException("cannot " + action + " message " + message.id() + " of " + consumer.queueUrl
          + ": this delivery was already settled");
    }
  }

  @Override
  public String toString() {
    return "SqsDelivery[" + message + "]";
  }
}
