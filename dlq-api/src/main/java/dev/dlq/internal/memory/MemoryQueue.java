package dev.dlq.internal.memory;

import dev.dlq.Attempt;
import dev.dlq.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/** One named queue: ready, delayed and leased entries under one lock. */
final class MemoryQueue {
  /** A message and its delivery state; guarded by the queue's lock. */
  static final class Entry {
    final Message message; // attempt field is not used: deliveries is the truth
    int deliveries;
    long visibleAtMillis;
    long leaseUntilMillis;
    long token;
    final List<Attempt> history = new ArrayList<>(2);

    Entry(Message message) {
      this.message = message;
    }
  }

  final String name;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final ArrayDeque<Entry> ready = new ArrayDeque<>();
  private final PriorityQueue<Entry> delayed = new PriorityQueue<>((a, b) -> Long.compare(a.visibleAtMillis, b.visibleAtMillis));
  private final Map<Long, Entry> leased = new HashMap<>();
  private long nextToken;
  private long nextLeaseCheckMillis;

  MemoryQueue(String name, Clock clock) {
    this.name = name;
    this.clock = clock;
  }

  void add(Message m, long visibleAtMillis) {
    Entry e = new Entry(m);
    e.visibleAtMillis = visibleAtMillis;
    lock.lock();
    try {
      if (visibleAtMillis <= clock.millis()) {
        ready.add(e);
        arrived.signal();
      } else {
        delayed.add(e);
        arrived.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Claims up to {@code max} entries, waiting up to {@code wait}. Expired leases are reclaimed first;
   * those past {@code maxDeliveries} are handed to {@code crashed} instead of being redelivered.
   */
  List<Entry> claim(int max, Duration wait, Duration lease, int maxDeliveries, Consumer<Entry> crashed)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    List<Entry> out = new ArrayList<>(Math.min(max, 64));
    List<Entry> dead = null;
    lock.lockInterruptibly();
    try {
      while (true) {
        long now = clock.millis();
        dead = reclaim(now, maxDeliveries, dead);
        promote(now);
        while (out.size() < max && !ready.isEmpty()) {
          Entry e = ready.poll();
          e.deliveries++;
          e.token = ++nextToken;
          e.leaseUntilMillis = now + lease.toMillis();
          leased.put(e.token, e);
          out.add(e);
        }
        long left = deadline - System.nanoTime();
        if (!out.isEmpty() || left <= 0) {
          break;
        }
        long sleep = Math.min(left, TimeUnit.MILLISECONDS.toNanos(50));
        Entry next = delayed.peek();
        if (next != null) {
          sleep = Math.min(sleep, TimeUnit.MILLISECONDS.toNanos(Math.max(1, next.visibleAtMillis - now)));
        }
        arrived.awaitNanos(sleep);
      }
    } finally {
      lock.unlock();
    }
    if (dead != null) {
      dead.forEach(crashed);
    }
    return out;
  }

  private List<Entry> reclaim(long now, int maxDeliveries, List<Entry> dead) {
    if (leased.isEmpty() || now < nextLeaseCheckMillis) {
      return dead;
    }
    nextLeaseCheckMillis = now + 10;
    for (Iterator<Entry> it = leased.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.leaseUntilMillis <= now) {
        it.remove();
        e.token = 0;
        if (e.deliveries >= maxDeliveries) {
          if (dead == null) {
            dead = new ArrayList<>();
          }
          dead.add(e);
        } else {
          ready.add(e);
        }
      }
    }
    return dead;
  }

  private void promote(long now) {
    Entry e;
    while ((e = delayed.peek()) != null && e.visibleAtMillis <= now) {
      ready.add(delayed.poll());
    }
  }

  /** Removes a claimed entry; false when its lease was lost. */
  boolean remove(Entry e, long token) {
    lock.lock();
    try {
      return leased.remove(token, e);
    } finally {
      lock.unlock();
    }
  }

  /** Makes a claimed entry visible again after {@code delayMillis}; false when its lease was lost. */
  boolean requeue(Entry e, long token, long delayMillis, Attempt failed, boolean countDelivery) {
    lock.lock();
    try {
      if (!leased.remove(token, e)) {
        return false;
      }
      if (!countDelivery) {
        e.deliveries--;
      }
      if (failed != null) {
        e.history.add(failed);
      }
      e.token = 0;
      e.visibleAtMillis = clock.millis() + delayMillis;
      if (delayMillis <= 0) {
        ready.addFirst(e);
      } else {
        delayed.add(e);
      }
      arrived.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  boolean extend(Entry e, long token, Duration by) {
    lock.lock();
    try {
      if (leased.get(token) != e) {
        return false;
      }
      e.leaseUntilMillis = Math.max(e.leaseUntilMillis, clock.millis() + by.toMillis());
      return true;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return ready.size() + delayed.size() + leased.size();
    } finally {
      lock.unlock();
    }
  }

  int claimed() {
    lock.lock();
    try {
      return leased.size();
    } finally {
      lock.unlock();
    }
  }

  Instant now() {
    return clock.instant();
  }
}
