package dev.dlq.examples.natsmonitor;

import dev.dlq.DeadLetter;
import dev.dlq.ErrorClass;
import dev.dlq.ReplayJob;
import dev.dlq.ReplayPlan;
import dev.dlq.ReplayRunner;
import dev.dlq.StoredDeadLetter;
import dev.dlq.alerts.AlertDelivery;
import dev.dlq.alerts.AlertMonitor;
import dev.dlq.alerts.AlertRule;
import dev.dlq.alerts.Notifiers;
import dev.dlq.nats.DlqAction;
import dev.dlq.nats.DlqMonitor;
import dev.dlq.nats.JetStreamDlq;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.PostgresSchema;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Seed 001, the DLQ monitor (a service of its own): a durable consumer on {@code <prefix>.dlq.>}
 * that decides, for each dead letter, an action: STORE it in PostgreSQL (dlq's {@code dead_letters}
 * table is the seed's {@code failed_events}: error context, attempts, payload, headers, status),
 * RETRY it once at once when the failure was transient, or DISCARD it when nobody handles its type
 * any more. What reaches PostgreSQL goes past the alert rules: a critical error (SYSTEM_ERROR), more
 * than 10 dead letters a minute, or one left pending for a day is POSTed, signed, to the operations
 * webhook through a durable queue. Operators then work on the stored dead letters: replay one,
 * replay a failure group (canary first, automatic stop), resolve.
 */
public final class DeadLetterMonitor implements AutoCloseable {
  /** Event types no service handles any more: their dead letters are discarded, not stored. */
  static final Set<String> RETIRED_TYPES = Set.of("legacy_sync");

  private final PostgresDeadLetterStore deadLetters;
  private final AlertMonitor alerts;
  private final DlqMonitor monitor;
  private final ReplayRunner replays;

  private DeadLetterMonitor(PostgresDeadLetterStore deadLetters, AlertMonitor alerts, DlqMonitor monitor) {
    this.deadLetters = deadLetters;
    this.alerts = alerts;
    this.monitor = monitor;
    this.replays = ReplayRunner.of(deadLetters);
  }

  /** Creates dlq's tables in {@code schema} if needed and starts following the DLQ. */
  public static DeadLetterMonitor start(JetStreamDlq nats, DataSource db, String schema, URI opsWebhook,
      String webhookSecret) {
    PostgresSchema.migrate(db, schema);
    PostgresDeadLetterStore deadLetters = PostgresDeadLetterStore.builder(db).schema(schema)
        .replayer("nats", (d, replayId, tx) -> nats.replay(d.deadLetter(), replayId)) // back to the NATS subject
        .build();
    AlertMonitor alerts = AlertMonitor.builder(deadLetters)
        .rule(AlertRule.errorClass("critical", ErrorClass.SYSTEM_ERROR)) // CRITICAL, to channel "ops", once per group
        .rule(AlertRule.rate("dlq-rate", 10, Duration.ofMinutes(1)))     // more than 10 dead letters a minute
        .rule(AlertRule.oldest("unresolved", Duration.ofHours(24)))      // a dead letter pending for a day
        .delivery(AlertDelivery.builder()
            .channel("ops", Notifiers.webhook(opsWebhook, webhookSecret))
            .queue(PostgresQueue.builder(db, AlertDelivery.DEFAULT_QUEUE).schema(schema).build()) // retried until taken
            .build())
        .build()
        .start();
    DlqMonitor monitor = nats.monitor()
        .sink(deadLetters)             // STORE copies the dead letter into PostgreSQL...
        .observer(alerts.observer())   // ...and the alert rules see it as it lands, backlog included
        .decider(DeadLetterMonitor::decide)
        .build()
        .start();
    return new DeadLetterMonitor(deadLetters, alerts, monitor);
  }

  /** The seed's DLQ handler: one automatic retry for transient failures, discard retired types, store the rest. */
  static DlqAction decide(StoredDeadLetter d) {
    DeadLetter dl = d.deadLetter();
    if (RETIRED_TYPES.contains(dl.message().type())) {
      return DlqAction.DISCARD;
    }
    if (dl.errorClass() == ErrorClass.RECOVERABLE && d.replayCount() == 0) {
      return DlqAction.RETRY; // replayed to its subject with a fresh budget; if it dies again, it is stored
    }
    return DlqAction.STORE;
  }

  /** Replays a failure group from PostgreSQL: a dry run first, then the canary alone, then the rest. */
  public ReplayJob replayGroup(String fingerprint, String operator) {
    ReplayJob plan = replays.prepare(ReplayPlan.builder(operator).group(fingerprint)
        .canaryWait(Duration.ofSeconds(1)) // watch the canary this long; the job stops if it dies again
        .build());
    return replays.run(plan.id());
  }

  /** The dead letters in PostgreSQL: query, count, stats by type, replay, resolve, discard. */
  public PostgresDeadLetterStore deadLetters() {
    return deadLetters;
  }

  /** How many dead letters got {@code action} so far. */
  public long count(DlqAction action) {
    return monitor.count(action);
  }

  /** Stops following the DLQ, then the alerts (what is queued for the webhook stays queued). */
  @Override
  public void close() {
    monitor.close();
    alerts.close();
    replays.close();
  }
}
