package dev.dlq;

import dev.dlq.spi.Checks;
import dev.dlq.internal.memory.MemoryBroker;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Source;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory backend for tests and examples: named queues with visibility delays and leases, a
 * dead-letter store with the full operator side (replay goes back to the queue), and an audit log.
 * Nothing survives the JVM. Thread-safe.
 *
 * <pre>{@code
 * InMemory mem = InMemory.create();
 * mem.enqueue("orders", "order.created", bytes);
 * Worker worker = Worker.builder(mem.source("orders"), processor).sink(mem.store()).build().start();
 * }</pre>
 *
 * <p>The provider named "memory" ({@link Dlq#source}, {@link Dlq#store}) uses the instance named by
 * the setting {@code instance} (default "default"), so a source and a store made through it share state.
 */
public final class InMemory {
  private static final Map<String, InMemory> NAMED = new ConcurrentHashMap<>();

  private final MemoryBroker broker;

  private InMemory(Clock clock) {
    this.broker = new MemoryBroker(clock);
  }

  /**
   * A new, private backend on the system clock.
   *
   * @return the backend
   */
  public static InMemory create() {
    return new InMemory(Clock.systemUTC());
  }

  /**
   * A new, private backend on {@code clock} (visibility delays and leases follow it).
   *
   * @param clock the clock
   * @return the backend
   * @throws IllegalArgumentException when {@code clock} is null
   */
  public static InMemory create(Clock clock) {
    return new InMemory(dev.dlq.spi.Checks.notNull(clock, "clock"));
  }

  /**
   * The shared backend called {@code name}, created on first use (on the system clock). It lives as
   * long as the JVM.
   *
   * @param name the backend's name
   * @return the same backend for the same name
   * @throws IllegalArgumentException when {@code name} is null or blank
   */
  public static InMemory named(String name) {
    return NAMED.computeIfAbsent(dev.dlq.spi.Checks.notBlank(name, "name"), n -> create());
  }

  /**
   * Adds a message to {@code queue}, with a random UUID as its id and no headers; it is ready at once.
   *
   * @param queue the queue's name, created on first use
   * @param type the message's type
   * @param payload the body, copied
   * @return the message's id
   * @throws IllegalArgumentException when an argument is null, or {@code queue} or {@code type} is blank
   */
  public String enqueue(String queue, String type, byte[] payload) {
    return broker.enqueue(queue, null, type, payload, Map.of());
  }

  /**
   * Adds a message with headers and, if not null, a given id; returns its id.
   *
   * @param queue the queue's name, created on first use
   * @param id the message's id, or null for a random UUID
   * @param type the message's type
   * @param payload the body, copied
   * @param headers the headers, copied
   * @return the message's id
   * @throws IllegalArgumentException when {@code id} is blank, or another argument is null or blank
   * @throws NullPointerException when {@code headers} holds a null key or value
   */
  public String enqueue(String queue, String id, String type, byte[] payload, Map<String, String> headers) {
    return broker.enqueue(queue, id, type, payload, headers);
  }

  /**
   * A source over {@code queue} with a 30 s lease; its crash backstop (deliveries whose lease ran
   * out before a message is dead-lettered) is the worker's retry policy's attempt budget.
   *
   * @param queue the queue's name, created on first use
   * @return a new source; a worker opens it
   * @throws IllegalArgumentException when {@code queue} is null or blank
   */
  public Source source(String queue) {
    return broker.source(queue, Duration.ofSeconds(30), 0);
  }

  /**
   * A source over {@code queue}.
   *
   * @param queue the queue's name, created on first use
   * @param lease how long a claimed message stays invisible unless extended
   * @param maxDeliveries after this many deliveries whose lease ran out (a crashing worker), the
   *     message is dead-lettered as {@link DeadLetterReason#LEASE_EXPIRED}; 0 takes it from the
   *     worker's retry policy
   * @return a new source; a worker opens it
   * @throws IllegalArgumentException when {@code queue} is null or blank, {@code lease} is null, zero
   *     or negative, or {@code maxDeliveries} is negative
   */
  public Source source(String queue, Duration lease, int maxDeliveries) {
    return broker.source(queue, lease, maxDeliveries);
  }

  /**
   * The dead-letter store (also a sink) shared by every queue of this backend.
   *
   * @return the store, the same every call
   */
  public DeadLetterStore store() {
    return broker.store();
  }

  /**
   * Messages in {@code queue}: waiting, delayed and claimed.
   *
   * @param queue the queue's name, created on first use
   * @return their number
   * @throws IllegalArgumentException when {@code queue} is null or blank
   */
  public int size(String queue) {
    return broker.size(queue);
  }

  /**
   * Messages of {@code queue} claimed and not settled.
   *
   * @param queue the queue's name, created on first use
   * @return their number
   * @throws IllegalArgumentException when {@code queue} is null or blank
   */
  public int claimed(String queue) {
    return broker.claimed(queue);
  }
}
