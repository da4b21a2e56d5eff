package dev.dlq.examples.outbox;

import dev.dlq.InvalidMessageException;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.PostgresSchema;
import dev.dlq.prometheus.DlqMetrics;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import jakarta.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Seed 004: an outbox in PostgreSQL relayed to a broker (NATS JetStream). The order and its event are
 * written in one transaction; a dlq worker relays each event to {@code <prefix>.<event type>},
 * deduplicated by event id, retrying with a preset (aggressive for a relay: 5 attempts, 100 ms to
 * 500 ms; conservative: 3 attempts, 1 s to 10 s). While the broker is down the circuit breaker
 * pauses the relay instead of burning retries; events that cannot be relayed (an unknown event type)
 * become dead letters, with stats by event type. Metrics: {@link DlqMetrics} (processed, failed,
 * retries, dead letters, breaker state and transitions, processing time).
 */
public final class OutboxRelay implements AutoCloseable {
  static final Set<String> EVENT_TYPES = Set.of("OrderCreated", "OrderUpdated", "OrderCancelled");

  private final DataSource db;
  private final String schema;
  private final PostgresQueue outbox;
  private final Worker relay;

  private OutboxRelay(DataSource db, String schema, PostgresQueue outbox, Worker relay) {
    this.db = db;
    this.schema = schema;
    this.outbox = outbox;
    this.relay = relay;
  }

  /** Creates dlq's tables and the orders table in {@code schema} if needed and starts the relay. */
  public static OutboxRelay start(DataSource db, String schema, JetStream broker, String subjectPrefix,
      RetryPolicy preset, DlqMetrics metrics) throws SQLException {
    PostgresSchema.migrate(db, schema);
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
        "CREATE TABLE IF NOT EXISTS " + schema + ".orders (id text PRIMARY KEY, amount int NOT NULL)")) {
      ps.execute();
    }
    PostgresQueue outbox = PostgresQueue.builder(db, "outbox").schema(schema).build();
    Worker relay = Worker.builder(outbox.source(), event -> publish(broker, subjectPrefix, event))
        .retryPolicy(preset)   // RetryPolicy.aggressive() or RetryPolicy.conservative()
        .observer(metrics)     // the circuit breaker is on by default
        .workerId("outbox-relay-1")
        .build()
        .start();
    return new OutboxRelay(db, schema, outbox, relay);
  }

  /** Places an order: the row and its event commit together, or neither does. */
  public void placeOrder(String orderId, int amount, String eventType) throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema + ".orders VALUES (?, ?)")) {
        ps.setString(1, orderId);
        ps.setInt(2, amount);
        ps.executeUpdate();
      }
      String event = Json.createObjectBuilder().add("order", orderId).add("amount", amount).build().toString();
      outbox.enqueue(c, eventType, event.getBytes(StandardCharsets.UTF_8), Map.of("aggregate", orderId));
      c.commit();
    }
  }

  /** The relay step: publish the event to the broker; the broker deduplicates by event id. */
  static Outcome publish(JetStream broker, String subjectPrefix, Message event) throws IOException {
    if (!EVENT_TYPES.contains(event.type())) {
      throw new InvalidMessageException("no subject for event type " + event.type()); // dead at once
    }
    Headers headers = new Headers();
    event.headers().forEach(headers::add);
    try {
      broker.publish(NatsMessage.builder().subject(subjectPrefix + "." + event.type()).headers(headers)
          .data(event.payload()).build(), PublishOptions.builder().messageId(event.id()).build());
    } catch (JetStreamApiException e) {
      throw new IOException("the broker refused the event: " + e.getMessage(), e); // transient: retry
    }
    return Outcome.success();
  }

  /** The dead-letter store of the outbox (stats by event type, replay). */
  public PostgresDeadLetterStore deadLetters() {
    return outbox.deadLetterStore();
  }

  /** The relay's circuit-breaker state. */
  public Worker.CircuitState breaker() {
    return relay.circuitState();
  }

  @Override
  public void close() {
    relay.close();
  }
}
