package dev.dlq.sqs.internal;

import dev.dlq.spi.Checks;
import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DlqException;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.postgres.FailOutcome;
import dev.dlq.postgres.PostgresTask;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One task claimed in PostgreSQL through its SQS message (DB-authority mode). The database decides;
 * the SQS message is deleted only after the database has the task's outcome. Thread-safe.
 */
public final class TaskDelivery implements Delivery {
  private final TaskConsumer consumer;
  private final Held held;
  private final PostgresTask task;
  private final Message message;
  private final AtomicBoolean settled = new AtomicBoolean();

  TaskDelivery(TaskConsumer consumer, Held held, PostgresTask task) {
    this.consumer = consumer;
    this.held = held;
    this.task = task;
    this.message = task.message();
  }

  @Override
  public Message message() {
    return message;
  }

  @Override
  public List<Attempt> history() {
    return task.history();
  }

  @Override
  public java.util.concurrent.CompletionStage<RecordResult> settle(dev.dlq.spi.Settlement settlement) {
    RecordResult r = null;
    if (settlement instanceof dev.dlq.spi.Settlement.Complete) {
      complete();
    } else if (settlement instanceof dev.dlq.spi.Settlement.Retry retry) {
      retry(retry.delay(), retry.failed());
    } else if (settlement instanceof dev.dlq.spi.Settlement.Dead dead) {
      r = deadLetter(dead.deadLetter());
    } else if (settlement instanceof dev.dlq.spi.Settlement.Release release) {
      release(release.delay());
    }
    return java.util.concurrent.CompletableFuture.completedFuture(r);
  }

  /** Success: the database first (DONE), then the SQS message goes. */
  private void complete() {
    settle("complete");
    try {
      if (!consumer.tasks.complete(task.id(), consumer.owner)) {
        throw notHeld("complete");
      }
      held.delete();
    } finally {
      consumer.settled(this);
    }
  }

  /**
   * A failed attempt: the database reschedules it or, its budget used, makes it DEAD. Rescheduled:
   * the SQS message comes back when the task is due (or is deleted, per the source's setting). Dead:
   * counted once, published to the dead-letter queue (a failed publish is counted and does not keep
   * the message: the database holds DEAD), then deleted.
   */
  private void retry(Duration delay, Attempt failed) {
    Checks.notNegative(delay, "delay");
    Checks.notNull(failed, "failed");
    settle("retry");
    try {
      FailOutcome outcome = consumer.tasks.fail(task.id(), consumer.owner, delay, failed);
      switch (outcome.result()) {
        case RESCHEDULED:
          if (consumer.deleteOnReschedule) {
            held.delete();
          } else {
            Instant due = outcome.nextRunAt().orElse(Instant.now());
            Duration wait = Duration.between(Instant.now(), due);
            held.visibleAfter(wait.isNegative() ? Duration.ZERO : wait.compareTo(delay) > 0 ? wait : delay);
          }
          break;
        case DEAD:
          DeadLetter dl = outcome.deadLetter().orElseThrow();
          // the engine asked for a retry and reports that; this death is the database's, reported here
          consumer.observer.deadLettered(dl, outcome.recorded().orElse(RecordResult.CREATED), Duration.ZERO);
          consumer.publish(dl);
          held.delete();
          break;
        default:
          throw notHeld("fail");
      }
    } finally {
      consumer.settled(this);
    }
  }

  /**
   * Gives up: the database makes the task DEAD and stores {@code deadLetter} in one transaction;
   * the event goes to the dead-letter queue; the SQS message is deleted even when that publish
   * fails. Returns what the database recorded, so that the worker counts the death once.
   */
  private RecordResult deadLetter(DeadLetter deadLetter) {
    Checks.notNull(deadLetter, "deadLetter");
    settle("dead-letter");
    try {
      FailOutcome outcome = consumer.tasks.fail(task.id(), consumer.owner, deadLetter);
      if (!outcome.becameDead()) {
        throw notHeld("dead-letter");
      }
      consumer.publish(outcome.deadLetter().orElse(deadLetter));
      held.delete();
      return outcome.recorded().orElse(RecordResult.CREATED);
    } finally {
      consumer.settled(this);
    }
  }

  /** Shutdown: the task goes back without spending its attempt, the SQS message becomes visible. */
  private void release(Duration delay) {
    settle("release");
    try {
      consumer.tasks.release(task.id(), consumer.owner);
      held.visibleAfter(delay); // zero: visible again at once
    } finally {
      consumer.settled(this);
    }
  }

  void releaseIfUnsettled() {
    if (settled.compareAndSet(false, true)) {
      try {
        consumer.tasks.release(task.id(), consumer.owner);
        held.release();
      } finally {
        consumer.settled(this);
      }
    }
  }

  /** Extends the SQS visibility and, when that was due, the database lease with it. */
  @Override
  public void extendLease(Duration extension) {
    if (!settled.get() && held.extend(extension)) {
      consumer.tasks.extendLease(task.id(), consumer.owner, extension);
    }
  }

  private DlqException notHeld(String action) {
    return new dev.dlq.LeaseLostException(task.id(), consumer.name(), "could not " + action + " task " + task.id() + ": worker " + consumer.owner
        + " no longer holds it (its lease expired and another worker may have it); its SQS message stays");
  }

  private void settle(String action) {
    if (!settled.compareAndSet(false, true)) {
      throw new IllegalStateException("cannot " + action + " task " + task.id() + ": this delivery was already settled");
    }
  }

  @Override
  public String toString() {
    return "TaskDelivery[" + task + "]";
  }
}
