package dev.dlq.sqs.internal;

import dev.dlq.SourceRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The receiving side of {@link dev.dlq.sqs.SqsSource}: long-poll receives (several in flight, see
 * {@link Receives}) and the deliveries it hands out. What a receive brings beyond what a poll asked
 * for is kept for the next polls; a message kept longer than half its lease goes back to the queue
 * instead. Thread-safe; polled by one thread at a time.
 */
public final class Consumer {
  private static final Logger log = LoggerFactory.getLogger(Consumer.class);
  /** How long past its long poll a poll waits for a receive's answer. */
  private static final long GRACE_SECONDS = 5;

  final String queueUrl;
  final QueueOps ops;
  private final Receiver receiver;
  private final Receives receives;
  /** Received beyond what a poll asked for; handed out by the next polls. Guarded by itself. */
  private final ArrayDeque<SqsDelivery> kept = new ArrayDeque<>();
  final Histories histories = new Histories(10_000);
  final PendingDeadLetters pending;
  private final SqsClient client;
  private final SourceRef ref;
  private final Clock clock;
  private final String name;
  private final String defaultType;
  private final Duration lease;
  private final AutoCloseable onClose;
  private volatile CrashGuard guard;
  /** Where dead letters go: the worker's sink, set when it opens the source. */
  volatile dev.dlq.spi.DeadLetterSink sink;
  /** Set in {@link dev.dlq.sqs.SqsSource.Completion#ASYNC} mode. */
  final AsyncDeletes asyncDeletes;
  private final Set<SqsDelivery> outstanding = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public Consumer(SqsClient client, String queueUrl, String name, String defaultType, Duration lease,
      int settleConcurrency, int receiveConcurrency, boolean asyncCompletion, Clock clock, PendingDeadLetters pending,
      AutoCloseable onClose) {
    this.client = client;
    this.queueUrl = queueUrl;
    this.name = name;
    this.ref = SourceRef.of("sqs", queueUrl);
    this.defaultType = defaultType;
    this.lease = lease;
    this.ops = new QueueOps(client, queueUrl, settleConcurrency);
    this.receiver = new Receiver(client, queueUrl, name);
    this.receives = new Receives(receiver, receiveConcurrency);
    this.asyncDeletes = asyncCompletion
        ? new AsyncDeletes(client, queueUrl, name, settleConcurrency, Duration.ofMillis(5)) : null;
    this.clock = clock;
    this.pending = pending;
    this.onClose = onClose;
  }

  /** Binds the worker's context: its sink, and the crash guard derived from its attempt budget (null: none). */
  public void bind(dev.dlq.spi.DeadLetterSink sink, CrashGuard guard, dev.dlq.spi.DlqObserver observer) {
    this.sink = sink;
    this.guard = guard;
    pending.bind(observer);
  }

  public String name() {
    return name;
  }

  public Duration lease() {
    return lease;
  }

  public List<SqsDelivery> poll(int max, Duration wait) throws InterruptedException {
    if (closed) {
      throw new IllegalStateException("source " + name + " is closed");
    }
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 but was " + max);
    }
    if (Thread.interrupted()) {
      throw new InterruptedException("poll of " + queueUrl + " interrupted before its receive");
    }
    List<SqsDelivery> out = new ArrayList<>(Math.min(max, 4 * Receiver.MAX_RECEIVE));
    takeKept(out, max);
    collect(out, max);
    if (out.size() < max) {
      receives.launch(max - out.size(), wait, (int) lease.toSeconds());
    }
    // a receive waits whole seconds and answers a round trip later: give it that, like a blocking call
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Receiver.waitSeconds(wait) + GRACE_SECONDS);
    while (out.isEmpty() && !receives.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        receives.awaitAny(left);
      } catch (InterruptedException e) {
        // the worker is stopping: nothing received may stay invisible for a lease
        receives.handBackAll();
        releaseKept();
        throw e;
      }
      if (collect(out, max) && out.isEmpty()) {
        break; // a receive came back empty after its long poll: an idle poll
      }
    }
    return out;
  }

  /** Hands out kept deliveries; those kept longer than half their lease go back to the queue instead. */
  private void takeKept(List<SqsDelivery> out, int max) {
    long stale = System.nanoTime() - lease.toNanos() / 2;
    List<SqsDelivery> back = new ArrayList<>();
    synchronized (kept) {
      SqsDelivery d;
      while (out.size() < max && (d = kept.pollFirst()) != null) {
        if (d.receivedAtNanos() - stale < 0) {
          back.add(d);
        } else {
          out.add(d);
        }
      }
    }
    for (SqsDelivery d : back) {
      d.releaseIfUnsettled();
    }
  }

  private void releaseKept() {
    List<SqsDelivery> back;
    synchronized (kept) {
      back = new ArrayList<>(kept);
      kept.clear();
    }
    for (SqsDelivery d : back) {
      try {
        d.releaseIfUnsettled();
      } catch (RuntimeException e) {
        log.warn("could not hand back message {} to {}; it returns when its visibility ends", d.message().id(),
            queueUrl, e);
      }
    }
  }

  /**
   * Turns what the answered receives brought into deliveries: up to {@code max} in {@code out}, the
   * rest kept. A failed receive throws when nothing else was received (the others' messages are kept).
   *
   * @return whether any receive had answered
   */
  private boolean collect(List<SqsDelivery> out, int max) {
    List<Receiver.Pending> done = receives.done();
    RuntimeException failure = null;
    for (Receiver.Pending p : done) {
      Receiver.Received r;
      try {
        r = receiver.collect(p);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
        continue;
      }
      for (SqsDelivery d : deliveries(r)) {
        if (out.size() < max) {
          out.add(d);
        } else {
          synchronized (kept) {
            kept.addLast(d);
          }
        }
      }
    }
    if (failure != null) {
      if (out.isEmpty()) {
        throw failure;
      }
      log.warn("a receive from {} failed while another one brought messages; polling on", queueUrl, failure);
    }
    return !done.isEmpty();
  }

  private List<SqsDelivery> deliveries(Receiver.Received r) {
    if (r.messages().isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    List<SqsDelivery> out = new ArrayList<>(r.messages().size());
    for (Message m : r.messages()) {
      Envelope.Decoded d = Envelope.decode(m, ref, defaultType, now);
      Held held = new Held(ops, m.receiptHandle(), r.sentAtNanos(), lease, "message " + d.message().id() + " of " + name);
      if (pending.retry(d.message().id(), held, histories)) {
        continue; // judged dead already: only its dead letter is retried
      }
      if (guard != null && guard.tripped(d.message())) {
        guard.deadLetter(d.message(), held, histories.before(d.message().id(), d.message().attempt()), histories);
        continue;
      }
      SqsDelivery delivery = new SqsDelivery(this, held, d.message(), d.failure());
      outstanding.add(delivery);
      out.add(delivery);
    }
    return out;
  }

  void settled(SqsDelivery d) {
    outstanding.remove(d);
  }

  /** Hands back what was received and not settled (visibility 0), then closes the client if it is ours. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    receives.handBackAll(); // receives still out: wait for them and hand back what they bring
    for (SqsDelivery d : outstanding) { // kept ones included
      try {
        d.releaseIfUnsettled();
      } catch (RuntimeException e) {
        log.warn("could not hand back message {} to {} on close; it returns when its visibility ends",
            d.message().id(), queueUrl, e);
      }
    }
    if (asyncDeletes != null) {
      asyncDeletes.close(); // sends the deletes still queued
    }
    receiver.close();
    Closing.close(onClose, name);
  }
}
