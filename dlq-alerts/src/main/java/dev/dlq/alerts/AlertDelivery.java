package dev.dlq.alerts;

import dev.dlq.CircuitBreakerConfig;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.spi.Alert;
import dev.dlq.spi.Checks;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.Notifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands alerts to their channels' notifiers. Durable (with a {@link PostgresQueue}, e.g. one named
 * {@value #DEFAULT_QUEUE} in dlq's schema): each (alert, channel) is a task of type
 * {@value #TASK_TYPE} on that queue, processed by a dlq {@link Worker} that calls the notifier; a
 * failing notifier is retried with backoff (default 1 s doubling to 5 min, 12 attempts, about 30 minutes
 * in all) and, when the budget runs out, the task is dead-lettered into the queue's dead-letter store,
 * where it is visible and replayable like any other ({@code dlq dead-letters list --type dlq.alert}).
 * The breaker is off for this worker, so a receiver that stays down does lead to dead letters.
 * Direct (no queue): the notifier is called at once and a failure is logged and lost; for tests and
 * in-memory setups.
 *
 * <p>Thread-safe once built.
 */
public final class AlertDelivery implements AutoCloseable {
  /** The default queue name. */
  public static final String DEFAULT_QUEUE = "dlq-alerts";
  /** The task type of alert tasks. */
  public static final String TASK_TYPE = "dlq.alert";
  /** The task header naming the channel. */
  public static final String CHANNEL_HEADER = "dlq-alert-channel";
  private static final Logger log = LoggerFactory.getLogger(AlertDelivery.class);

  private final Map<String, Notifier> channels;
  private final Optional<AlertTransport> queue;
  private final RetryPolicy policy;
  private final DlqObserver observer;
  private final int concurrency;
  private Worker worker;

  private AlertDelivery(Builder b) {
    this.channels = Map.copyOf(b.channels);
    this.queue = Optional.ofNullable(b.transport);
    this.policy = b.policy;
    this.observer = b.observer;
    this.concurrency = b.concurrency;
  }

  /**
   * A builder; add channels, and a queue for durable delivery.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The channel names this delivery knows.
   *
   * @return the channel names
   */
  public java.util.Set<String> channels() {
    return channels.keySet();
  }

  /**
   * Whether alerts go through the durable queue.
   *
   * @return true with a queue
   */
  public boolean durable() {
    return queue.isPresent();
  }

  /**
   * Sends {@code alert} to each of {@code channelNames}: enqueues one task per channel (durable; in
   * one transaction, idempotent on alert id and channel), or calls the notifiers now (direct).
   *
   * @param alert the alert
   * @param channelNames channels known to this delivery
   * @throws IllegalArgumentException when a channel is unknown
   * @throws dev.dlq.DlqException when the queue cannot be written (durable)
   */
  public void send(Alert alert, List<String> channelNames) {
    Checks.notNull(alert, "alert");
    for (String c : Checks.notNull(channelNames, "channelNames")) {
      if (!channels.containsKey(c)) {
        throw new IllegalArgumentException("unknown alert channel " + c + "; known: " + channels.keySet());
      }
    }
    if (queue.isPresent()) {
      byte[] body = AlertJson.write(alert).getBytes(StandardCharsets.UTF_8);
      List<AlertTransport.Task> tasks = channelNames.stream().map(c -> new AlertTransport.Task(
          UUID.nameUUIDFromBytes((alert.id() + "\u0000" + c).getBytes(StandardCharsets.UTF_8)).toString(), TASK_TYPE,
          body, Map.of(CHANNEL_HEADER, c))).toList();
      queue.get().publish(tasks);
      return;
    }
    for (String c : channelNames) {
      try {
        channels.get(c).send(alert);
      } catch (RuntimeException e) {
        log.warn("alert {} ({}) to channel {} was lost: {}", alert.id(), alert.rule(), c, e.toString());
      }
    }
  }

  /**
   * Starts the worker that delivers queued alerts (durable only; direct delivery needs none).
   * A process that only raises alerts may leave this to another process that has the same channels.
   *
   * @return this
   */
  public synchronized AlertDelivery start() {
    if (queue.isPresent() && worker == null) {
      worker = Worker.builder(queue.get().source(), this::deliver).retryPolicy(policy)
          .circuitBreaker(CircuitBreakerConfig.disabled()).concurrency(concurrency).observer(observer)
          .workerId("dlq-alerts").build().start();
    }
    return this;
  }

  private Outcome deliver(Message m) {
    String channel = m.headers().get(CHANNEL_HEADER);
    Notifier n = channel == null ? null : channels.get(channel);
    if (n == null) {
      return Outcome.deadLetter("unknown alert channel " + channel + "; known: " + channels.keySet());
    }
    Alert alert;
    try {
      alert = AlertJson.read(m.payloadAsString());
    } catch (IllegalArgumentException e) {
      return Outcome.deadLetter("not an alert: " + e.getMessage());
    }
    n.send(alert);
    return Outcome.success();
  }

  /** Stops the delivery worker; queued alerts wait for the next start. */
  @Override
  public synchronized void close() {
    if (worker != null) {
      worker.close();
      worker = null;
    }
  }

  /** Configures an {@link AlertDelivery}. Mutable and not thread-safe. */
  public static final class Builder {
    private final Map<String, Notifier> channels = new LinkedHashMap<>();
    private AlertTransport transport;
    private RetryPolicy policy = RetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofMinutes(5), 12);
    private DlqObserver observer = DlqObserver.NONE;
    private int concurrency = 4;

    private Builder() {}

    /**
     * Adds channel {@code name} delivered by {@code notifier}.
     *
     * @param name the channel name rules refer to
     * @param notifier who delivers it
     * @return this builder
     */
    public Builder channel(String name, Notifier notifier) {
      channels.put(Checks.notBlank(name, "name"), Checks.notNull(notifier, "notifier"));
      return this;
    }

    /**
     * Makes delivery durable on {@code queue} (e.g. {@code PostgresQueue.builder(ds, "dlq-alerts").schema(s).build()}).
     *
     * @param queue the alert queue
     * @return this builder
     */
    public Builder queue(PostgresQueue queue) {
      this.transport = AlertTransport.postgres(Checks.notNull(queue, "queue"));
      return this;
    }

    /**
     * Makes delivery durable on {@code transport} (e.g. {@link NatsAlertTransport} where only NATS is used).
     *
     * @param transport where alert tasks are kept
     * @return this builder
     */
    public Builder transport(AlertTransport transport) {
      this.transport = Checks.notNull(transport, "transport");
      return this;
    }

    /**
     * The retry policy of durable delivery; default 1 s doubling to 5 min, 12 attempts.
     *
     * @param policy the policy; its attempt budget decides when an alert is dead-lettered
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy policy) { this.policy = Checks.notNull(policy, "policy"); return this; }

    /**
     * Hears the delivery worker's transitions (metrics); default none.
     *
     * @param observer the observer
     * @return this builder
     */
    public Builder observer(DlqObserver observer) { this.observer = Checks.notNull(observer, "observer"); return this; }

    /**
     * How many alerts are delivered at once; default 4.
     *
     * @param n between 1 and 64
     * @return this builder
     */
    public Builder concurrency(int n) { this.concurrency = Checks.between(n, 1, 64, "concurrency"); return this; }

    /**
     * Builds the delivery (not started).
     *
     * @return the delivery
     * @throws IllegalArgumentException when no channel was added
     */
    public AlertDelivery build() {
      if (channels.isEmpty()) {
        throw new IllegalArgumentException("channels must not be empty: add at least one channel");
      }
      return new AlertDelivery(this);
    }
  }
}
