package dev.dlq.nats;

/** What the {@link DlqMonitor} does with a dead letter it reads from the DLQ stream. */
public enum DlqAction {
  /** Record it in the monitor's sink (for example the PostgreSQL store) for analysis. */
  STORE,
  /** Send it back to its original subject now (a replay by operator {@code dlq-monitor}); not stored. */
  RETRY,
  /** Record it in the sink, then raise an alert through the monitor's alert hook. */
  ALERT,
  /** Mark it DISCARDED in the DLQ store; not stored, not alerted. */
  DISCARD
}
