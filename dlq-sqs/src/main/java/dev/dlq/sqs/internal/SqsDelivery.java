package dev.dlq.sqs.internal;

import dev.dlq.spi.Checks;
import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One received SQS message. Complete and dead-letter delete it (batched), retry and release change
 * its visibility, extendLease pushes its visibility out while the processor runs. Thread-safe.
 */
public final class SqsDelivery implements Delivery {
  private final Consumer consumer;
  private final Held held;
  private final Message message;
  private final Throwable decodeFailure;
  private final AtomicBoolean settled = new AtomicBoolean();

  SqsDelivery(Consumer consumer, Held held, Message message, Throwable decodeFailure) {
    this.consumer = consumer;
    this.held = held;
    this.message = message;
    this.decodeFailure = decodeFailure;
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

  @Override
  public java.util.concurrent.CompletionStage<RecordResult> settle(dev.dlq.spi.Settlement settlement) {
    RecordResult r = null;
    if (settlement instanceof dev.dlq.spi.Settlement.Complete) {
      complete();
    } else if (settlement instanceof dev.dlq.spi.Settlement.Retry retry) {
      retry(retry.delay(), retry.failed());
    } else if (settlement instanceof dev.dlq.spi.Settlement.Dead dead) {
      r = deadLetter(dead.deadLetter(), consumer.sink);
    } else if (settlement instanceof dev.dlq.spi.Settlement.Release release) {
      release(release.delay());
    }
    return java.util.concurrent.CompletableFuture.completedFuture(r);
  }

  private void complete() {
    settle("complete");
    try {
      if (consumer.asyncDeletes != null) {
        consumer.asyncDeletes.delete(held.receiptHandle());
      } else {
        held.delete();
      }
      consumer.histories.forget(message.id());
    } finally {
      consumer.settled(this);
    }
  }

  private void retry(Duration delay, Attempt failed) {
    Checks.notNegative(delay, "delay");
    Checks.notNull(failed, "failed");
    settle("retry");
    try {
      consumer.histories.add(message.id(), failed);
      held.visibleAfter(delay);
    } finally {
      consumer.settled(this);
    }
  }

  private RecordResult deadLetter(DeadLetter deadLetter, DeadLetterSink sink) {
    Checks.notNull(deadLetter, "deadLetter");
    if (sink == null) {
      throw new IllegalStateException("source " + consumer.name() + " was not opened by a worker: it has no sink");
    }
    settle("dead-letter");
    try {
      // the original goes only once the dead letter is durable: a failed record throws and keeps it,
      // and the verdict is remembered so that its redeliveries retry the record, not the processor
      RecordResult result;
      try {
        result = sink.record(deadLetter);
      } catch (RuntimeException e) {
        delayRedelivery(deadLetter, sink, e);
        throw e;
      }
      held.delete();
      consumer.histories.forget(message.id());
      return result;
    } finally {
      consumer.settled(this);
    }
  }

  private void delayRedelivery(DeadLetter deadLetter, DeadLetterSink sink, RuntimeException failure) {
    try {
      held.visibleAfter(consumer.pending.failed(deadLetter, sink));
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private void release(Duration delay) {
    settle("release");
    try {
      held.visibleAfter(delay); // zero: visible again at once
    } finally {
      consumer.settled(this);
    }
  }

  /** {@link System#nanoTime()} when the receive that brought it was sent. */
  long receivedAtNanos() {
    return held.receivedAtNanos();
  }

  /** Releases this delivery unless it was settled already (source close). */
  void releaseIfUnsettled() {
    if (settled.compareAndSet(false, true)) {
      try {
        held.release();
      } finally {
        consumer.settled(this);
      }
    }
  }

  @Override
  public void extendLease(Duration extension) {
    if (!settled.get()) {
      held.extend(extension);
    }
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
