package dev.dlq.sqs.internal;

import dev.dlq.spi.Checks;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for SQS batch calls (DeleteMessageBatch, ChangeMessageVisibilityBatch): every
 * caller blocks until the call that carried its entry came back, so a settle still returns only
 * once it is durable; but while {@code maxInFlight} calls are out, new entries wait and leave
 * together, up to {@code maxBatch} (10 in SQS) per call. No linger and no thread of its own: a
 * waiting caller whose entry is still queued leads the next call as soon as a slot is free.
 *
 * <p>Thread-safe.
 *
 * @param <E> what one entry carries
 */
public final class GroupCommit<E> {

  /** Sends one batch; returns, in the batch's order, null for each entry that succeeded or the error of one that failed. */
  @FunctionalInterface
  public interface Sender<E> {
    List<RuntimeException> send(List<E> batch);
  }

  private static final class Pending<E> {
    final E entry;
    boolean queued = true;
    boolean done;
    RuntimeException error;

    Pending(E entry) {
      this.entry = entry;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Pending<E>> queue = new ArrayDeque<>();
  private final Sender<E> sender;
  private final int maxBatch;
  private final int maxInFlight;
  private int inFlight;

  public GroupCommit(Sender<E> sender, int maxBatch, int maxInFlight) {
    this.sender = Checks.notNull(sender, "sender");
    this.maxBatch = Checks.between(maxBatch, 1, 10, "maxBatch");
    this.maxInFlight = Checks.between(maxInFlight, 1, 64, "maxInFlight");
  }

  /**
   * Sends {@code entry} in the next batch and waits for it.
   *
   * @throws RuntimeException the entry's own failure, or the batch call's
   */
  public void submit(E entry) {
    Pending<E> mine = new Pending<>(entry);
    lock.lock();
    try {
      queue.add(mine);
      while (!mine.done) {
        if (mine.queued && inFlight < maxInFlight) {
          List<Pending<E>> batch = takeBatch();
          inFlight++;
          lock.unlock();
          try {
            send(batch);
          } finally {
            lock.lock();
            inFlight--;
            changed.signalAll();
          }
        } else {
          // bounded by the call in flight, which carries our entry or will free a slot for it
          changed.awaitUninterruptibly();
        }
      }
    } finally {
      lock.unlock();
    }
    if (mine.error != null) {
      throw mine.error;
    }
  }

  private List<Pending<E>> takeBatch() {
    int n = Math.min(maxBatch, queue.size());
    List<Pending<E>> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Pending<E> p = queue.poll();
      p.queued = false;
      batch.add(p);
    }
    return batch;
  }

  /** Runs without the lock; marks every entry done whatever happens. */
  private void send(List<Pending<E>> batch) {
    List<E> entries = new ArrayList<>(batch.size());
    for (Pending<E> p : batch) {
      entries.add(p.entry);
    }
    // a settle must not fail because the leading thread was interrupted (shutdown past its
    // timeout): the SDK aborts calls of interrupted threads, so hide the flag for the call
    boolean interrupted = Thread.interrupted();
    List<RuntimeException> errors = null;
    RuntimeException all = null;
    try {
      errors = sender.send(entries);
    } catch (RuntimeException e) {
      all = e;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      lock.lock();
      try {
        for (int i = 0; i < batch.size(); i++) {
          Pending<E> p = batch.get(i);
          p.error = all != null ? all : errors != null && i < errors.size() ? errors.get(i) : null;
          p.done = true;
        }
      } finally {
        lock.unlock();
      }
    }
  }
}
