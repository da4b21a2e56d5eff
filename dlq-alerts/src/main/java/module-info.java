/**
 * Alerts on dead letters: rules ({@link dev.dlq.alerts.AlertRule}, {@link dev.dlq.alerts.AlertRules}),
 * the monitor that evaluates them ({@link dev.dlq.alerts.AlertMonitor}), built-in notifiers
 * ({@link dev.dlq.alerts.Notifiers}), durable delivery on dlq's PostgreSQL queue
 * ({@link dev.dlq.alerts.AlertDelivery}), user notifications and auto-recovery.
 */
module dev.dlq.alerts {
  requires transitive dev.dlq;
  requires transitive dev.dlq.postgres;
  requires java.net.http;
  requires org.slf4j;
  requires jakarta.json;
  requires static dev.dlq.nats;
  requires static io.nats.jnats;

  exports dev.dlq.alerts;
}
