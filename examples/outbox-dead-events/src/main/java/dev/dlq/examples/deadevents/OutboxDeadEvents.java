package dev.dlq.examples.deadevents;

import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterJson;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStatus;
import dev.dlq.Page;
import dev.dlq.Processor;
import dev.dlq.ReplayJob;
import dev.dlq.ReplayPlan;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayRunner;
import dev.dlq.RetryPolicy;
import dev.dlq.StoredDeadLetter;
import dev.dlq.Worker;
import dev.dlq.admin.AdminServer;
import dev.dlq.alerts.AlertDelivery;
import dev.dlq.alerts.AlertMonitor;
import dev.dlq.alerts.AlertRule;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.PostgresDeadLetterStore.Retention;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.PostgresSchema;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.spi.Notifier;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Seed 003: an outbox whose dead events can be operated. Events are written to a PostgreSQL outbox in
 * the caller's transaction, one outbox queue per aggregate type; a worker per queue delivers them,
 * retrying 5 times ({@code max_attempts}) before an event becomes dead. The dead events are then
 * listed, counted, retried one by one or in batches, exported as JSON and CSV and cleaned up by
 * retention: from code (the methods below, named after the seed's repository), from the {@code dlq}
 * command line and over HTTP (the {@link AdminServer} this class starts), with Prometheus metrics on
 * {@code /metrics} and an alert to ops when more than {@link #ALERT_THRESHOLD} events die within 10 minutes.
 */
public final class OutboxDeadEvents implements AutoCloseable {
  /** The aggregate types; each has its own outbox queue, so "aggregate type" is the dead letter's source. */
  public static final List<String> AGGREGATE_TYPES = List.of("order", "payment");
  /** The most events that may die within 10 minutes without an alert. */
  public static final int ALERT_THRESHOLD = 5;

  private final Map<String, PostgresQueue> outboxes = new LinkedHashMap<>();
  private final List<Worker> workers = new ArrayList<>();
  private final PostgresDeadLetterStore store;
  private final ReplayRunner runner;
  private final DlqMetrics metrics = DlqMetrics.create();
  private final AlertMonitor alerts;
  private final AdminServer admin;

  private OutboxDeadEvents(DataSource db, String schema, Processor handler, Notifier ops) throws IOException {
    // the query side of the outbox's dead events; the observer keeps dlq_dead_letters{status} current
    store = PostgresDeadLetterStore.builder(db).schema(schema).observer(metrics).build();
    runner = ReplayRunner.builder(store).observer(metrics).build();
    // dead_events_count > threshold: send_alert(...), delivered through a queue of its own so none is lost
    alerts = AlertMonitor.builder(store)
        .rule(AlertRule.rate("dead-events", ALERT_THRESHOLD, Duration.ofMinutes(10)))
        .delivery(AlertDelivery.builder().channel("ops", ops)
            .queue(PostgresQueue.builder(db, AlertDelivery.DEFAULT_QUEUE).schema(schema).build()).build())
        .pollEvery(Duration.ofSeconds(1))
        .build()
        .start();
    for (String aggregateType : AGGREGATE_TYPES) {
      PostgresQueue outbox = PostgresQueue.builder(db, aggregateType).schema(schema).build();
      outboxes.put(aggregateType, outbox);
      workers.add(Worker.builder(outbox.source(), handler)
          .retryPolicy(RetryPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(200), 5)) // max_attempts 5
          .observer(metrics)
          .observer(alerts.observer())
          .workerId("outbox-" + aggregateType)
          .build()
          .start());
    }
    // the seed's dead_events_current{event_type, aggregate_type}, read from the store when scraped
    GaugeWithCallback.builder().name("outbox_dead_events").help("Dead (pending) outbox events")
        .labelNames("aggregate_type", "event_type")
        .callback(cb -> AGGREGATE_TYPES.forEach(a -> store.stats(filter(a, null, null)).byType()
            .forEach((type, n) -> cb.call(n, a, type))))
        .register(metrics.registry());
    // GET /api/dead-letters, /stats, /export; POST /{id}/replay, /replay; GET /metrics (loopback, no token)
    admin = AdminServer.builder(store).port(0).metrics(metrics).build().start();
  }

  /**
   * Creates dlq's tables in {@code schema} if needed, starts a worker per aggregate type running
   * {@code handler}, the alert monitor sending to {@code ops} (such as {@code Notifiers.slack(uri)}),
   * and the admin server on a free loopback port.
   */
  public static OutboxDeadEvents start(DataSource db, String schema, Processor handler, Notifier ops) throws IOException {
    PostgresSchema.migrate(db, schema);
    return new OutboxDeadEvents(db, schema, handler, ops);
  }

  /** An outbox event: what changed (aggregate type and id), what happened (event type), and its JSON. */
  public record Event(String aggregateType, String aggregateId, String type, String json) {}

  /** Writes {@code event} to its aggregate type's outbox inside the caller's transaction on {@code c}; returns its id. */
  public String publish(Connection c, Event event) {
    return outboxes.get(event.aggregateType()).enqueue(c, event.type(), event.json().getBytes(StandardCharsets.UTF_8),
        Map.of("aggregate_id", event.aggregateId()));
  }

  /** The seed's filters: dead (PENDING) events of an aggregate type, an event type, dead since; null is any. */
  public static DeadLetterFilter filter(String aggregateType, String eventType, Instant since) {
    return DeadLetterFilter.builder().status(DeadLetterStatus.PENDING)
        .source(aggregateType).type(eventType).deadFrom(since).build();
  }

  /** fetch_dead_events: a page, newest first; keyset pagination (pass the page's next cursor) instead of offsets. */
  public Page<StoredDeadLetter> fetchDeadEvents(DeadLetterFilter filter, int limit, Optional<String> cursor) {
    DeadLetterQuery query = DeadLetterQuery.of(filter, limit);
    return store.find(cursor.map(query::after).orElse(query));
  }

  /** count_dead_events. */
  public long countDeadEvents(DeadLetterFilter filter) {
    return store.count(filter);
  }

  /**
   * retry_dead_event: sends the event back to its outbox with a fresh attempt budget (its dead letter
   * keeps the history and counts the replay). False when it is unknown or no longer dead.
   */
  public boolean retryDeadEvent(String id, String operator) {
    return store.replay(ReplayRequest.ofIds(List.of(id), operator)).replayed() == 1;
  }

  /**
   * retry_dead_events_batch: a replay job, kept in the database: one canary first, then a rising
   * rate; it stops by itself if the retried events die again. Returns how many were sent back.
   */
  public long retryDeadEventsBatch(List<String> ids, String operator) {
    ReplayJob plan = runner.prepare(ReplayPlan.builder(operator).ids(ids).canaryWait(Duration.ofMillis(500)).build());
    return runner.run(plan.id()).sent();
  }

  /** export --format json: one dead letter a line in dlq's dead-letter format (payload base64, byte-exact). */
  public void exportJson(DeadLetterFilter filter, Writer out) {
    store.export(filter, d -> write(out, new String(DeadLetterJson.toJson(d), StandardCharsets.UTF_8)));
  }

  /** export --format csv: the columns an operator reads, RFC 4180 quoted. */
  public void exportCsv(DeadLetterFilter filter, Writer out) {
    write(out, "id,aggregate_type,aggregate_id,event_type,attempts,error,dead_at");
    store.export(filter, d -> write(out, String.join(",", csv(d.id()), csv(d.deadLetter().message().source().destination()),
        csv(d.deadLetter().message().headers().getOrDefault("aggregate_id", "")), csv(d.deadLetter().message().type()),
        String.valueOf(d.deadLetter().attempts()), csv(d.deadLetter().errorType() + ": " + d.deadLetter().errorMessage()),
        csv(d.deadLetter().deadAt().toString()))));
  }

  /**
   * cleanup_old_dead_events: deletes dead events handled (retried, resolved, discarded) more than
   * {@code olderThan} ago; still-dead ones stay ({@code Retention.includingPending()} deletes them
   * too). Audited, with a warning in the log before anything is deleted. Returns how many went.
   */
  public long cleanupOldDeadEvents(Duration olderThan, String operator) {
    return store.applyRetention(List.of(Retention.of(olderThan)), operator).get(0);
  }

  /** The store, for what the seed does not name (stats, failure groups, resolve, discard, audit). */
  public PostgresDeadLetterStore store() {
    return store;
  }

  /** The admin server's address, such as {@code http://127.0.0.1:8081}. */
  public String adminUrl() {
    return "http://127.0.0.1:" + admin.port();
  }

  /** The metrics the workers, the store and the admin server report to. */
  public DlqMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    admin.close();
    workers.forEach(Worker::close);
    runner.close();
    alerts.close();
  }

  private static String csv(String v) {
    return "\"" + v.replace("\"", "\"\"") + "\"";
  }

  private static void write(Writer out, String line) {
    try {
      out.write(line + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
