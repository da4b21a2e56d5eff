package dev.dlq.sqs.internal;

import dev.dlq.SourceRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The receiving side of {@link dev.dlq.sqs.SqsSource}: long-poll receive and the deliveries it hands out. Thread-safe. */
public final class Consumer {
  private static final Logger log = LoggerFactory.getLogger(Consumer.class);

  final String queueUrl;
  final QueueOps ops;
  private final Receiver receiver;
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
      int settleConcurrency, boolean asyncCompletion, Clock clock, PendingDeadLetters pending,
      AutoCloseable onClose) {
    this.client = client;
    this.queueUrl = queueUrl;
    this.name = name;
    this.ref = SourceRef.of("sqs", queueUrl);
    this.defaultType = defaultType;
    this.lease = lease;
    this.ops = new QueueOps(client, queueUrl, settleConcurrency);
    this.receiver = new Receiver(client, queueUrl, name);
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
    Receiver.Received r = receiver.receive(max, wait, (int) lease.toSeconds());
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
    for (SqsDelivery d : outstanding) {
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
