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
import dev.dlq.spi.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link Source} over one memory queue. */
final class MemorySource implements Source {
  private final MemoryQueue queue;
  private final Duration lease;
  private final int maxDeliveries;
  private final MemoryStore store;

  MemorySource(MemoryQueue queue, Duration lease, int maxDeliveries, MemoryStore store) {
    this.queue = queue;
    this.lease = lease;
    this.maxDeliveries = maxDeliveries;
    this.store = store;
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
        DeadLetterFormat.defaults());
    store.record(dl);
  }

  @Override
  public Duration lease() {
    return lease;
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
    public void complete() {
      queue.remove(entry, token);
    }

    @Override
    public void retry(Duration delay, Attempt failed) {
      queue.requeue(entry, token, delay.toMillis(), failed, true);
    }

    @Override
    public RecordResult deadLetter(DeadLetter deadLetter, DeadLetterSink sink) {
      RecordResult r = sink.record(deadLetter);
      queue.remove(entry, token);
      return r;
    }

    @Override
    public void release() {
      queue.requeue(entry, token, 0, null, false);
    }

    @Override
    public void extendLease(Duration extension) {
      queue.extend(entry, token, extension);
    }
  }
}
