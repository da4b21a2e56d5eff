package dev.dlq.internal.memory;

import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.spi.Checks;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The state behind {@link dev.dlq.InMemory}: queues by name and one dead-letter store. */
public final class MemoryBroker {
  static final String BACKEND = "memory";

  private final Clock clock;
  private final Map<String, MemoryQueue> queues = new ConcurrentHashMap<>();
  private final MemoryStore store;

  public MemoryBroker(Clock clock) {
    this.clock = clock;
    this.store = new MemoryStore(this, clock);
  }

  MemoryQueue queue(String name) {
    Checks.notBlank(name, "queue");
    return queues.computeIfAbsent(name, n -> new MemoryQueue(n, clock));
  }

  public String enqueue(String queue, String id, String type, byte[] payload, Map<String, String> headers) {
    String messageId = id != null ? Checks.notBlank(id, "id") : UUID.randomUUID().toString();
    Message m = new Message(messageId, type, payload, headers, SourceRef.of(BACKEND, queue), 1, clock.instant());
    queue(queue).add(m, clock.millis());
    return messageId;
  }

  /** Puts {@code m} back on its queue as a fresh message (replay). */
  void requeueFresh(Message m) {
    queue(m.source().destination()).add(m.withAttempt(1), clock.millis());
  }

  public MemorySource source(String queue, Duration lease, int maxDeliveries) {
    Checks.positive(lease, "lease");
    Checks.atLeast(maxDeliveries, 0, "maxDeliveries");
    return new MemorySource(queue(queue), lease, maxDeliveries, store);
  }

  public MemoryStore store() {
    return store;
  }

  public int size(String queue) {
    return queue(queue).size();
  }

  public int claimed(String queue) {
    return queue(queue).claimed();
  }
}
