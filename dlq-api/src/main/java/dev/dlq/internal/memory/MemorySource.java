package dev.dlq.internal.memory;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.internal.engine.DeadLetters;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.Settlement;
import dev.dlq.spi.Source;
import dev.dlq.spi.SourceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A {@link Source} over one memory queue. */
final class MemorySource implements Source {
  private final MemoryQueue queue;
  private final Duration lease;
  private final MemoryStore store;
  private volatile int maxDeliveries;
  private volatile DeadLetterSink sink;
  private volatile DlqObserver observer = DlqObserver.NONE;
  private volatile DeadLetterFormat format = DeadLetterFormat.defaults();

  /** @param maxDeliveries the crash backstop, or 0 to take it from the worker's retry policy */
  MemorySource(MemoryQueue queue, Duration lease, int maxDeliveries, MemoryStore store) {
    this.queue = queue;
    this.lease = lease;
    this.maxDeliveries = maxDeliveries > 0 ? maxDeliveries : DEFAULT_MAX_DELIVERIES;
    this.explicitMax = maxDeliveries > 0;
    this.store = store;
    this.sink = store;
  }

  private static final int DEFAULT_MAX_DELIVERIES = 10;
  private final boolean explicitMax;

  @Override
  public void open(SourceContext context) {
    if (!explicitMax) {
      maxDeliveries = context.crashBackstop().orElse(DEFAULT_MAX_DELIVERIES);
    }
    sink = context.sink();
    observer = context.observer();
    format = context.format();
  }

  @Override
  public Optional<DeadLetterSink> defaultSink() {
    return Optional.of(store);
  }

  @Override
  public List<? extends Delivery> poll(int max, Duration wait) throws InterruptedException {
    List<MemoryQueue.Entry> claimed = queue.claim(max, wait, lease, maxDeliveries, this::crashLoop);
    List<Delivery> out = new ArrayList<>(claimed.size());
    for (MemoryQueue.Entry e : claimed) {
      out.add(new MemoryDelivery(e, e.token, e.message.withAttempt(e.deliveries), List.copyOf(e.history)));
    }
    return out;
  }

  /** A message whose workers kept dying while holding it: dead-letter it instead of looping. */
  private void crashLoop(MemoryQueue.Entry e) {
    Message m = e.message.withAttempt(e.deliveries);
    String text = "lease of " + lease + " expired on " + e.deliveries + " deliveries; its workers crashed or hung";
    Attempt last = new Attempt(e.deliveries, queue.now(), ErrorClass.SYSTEM_ERROR, "lease-expired", text,
        Duration.ZERO, "reaper");
    DeadLetter dl = DeadLetters.build(m, ErrorClass.SYSTEM_ERROR, null, "lease-expired", text,
        DeadLetterReason.LEASE_EXPIRED, maxDeliveries, List.copyOf(e.history), last, queue.now(), "reaper",
        format);
    observer.deadLettered(dl, sink.record(dl), Duration.ZERO);
  }

  @Override
  public Duration lease() {
    return lease;
  }

  /** A release gives the attempt back (the claim's increment is undone). */
  @Override
  public boolean releaseKeepsAttempt() {
    return true;
  }

  @Override
  public String name() {
    return queue.name;
  }

  private final class MemoryDelivery implements Delivery {
    private final MemoryQueue.Entry entry;
    private final long token;
    private final Message message;
    private final List<Attempt> history;

    MemoryDelivery(MemoryQueue.Entry entry, long token, Message message, List<Attempt> history) {
      this.entry = entry;
      this.token = token;
      this.message = message;
      this.history = history;
    }

    @Override
    public Message message() {
      return message;
    }

    @Override
    public List<Attempt> history() {
      return history;
    }

    @Override
    public CompletionStage<RecordResult> settle(Settlement settlement) {
      RecordResult r = null;
      if (settlement instanceof Settlement.Complete) {
        queue.remove(entry, token);
      } else if (settlement instanceof Settlement.Retry retry) {
        queue.requeue(entry, token, retry.delay().toMillis(), retry.failed(), true);
      } else if (settlement instanceof Settlement.Dead dead) {
        r = sink.record(dead.deadLetter());
        queue.remove(entry, token);
      } else if (settlement instanceof Settlement.Release release) {
        queue.requeue(entry, token, release.delay().toMillis(), null, false);
      }
      return CompletableFuture.completedFuture(r);
    }

    @Override
    public void extendLease(Duration extension) {
      queue.extend(entry, token, extension);
    }
  }
}
