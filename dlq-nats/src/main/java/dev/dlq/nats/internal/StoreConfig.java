package dev.dlq.nats.internal;

import dev.dlq.spi.DlqObserver;
import java.time.Clock;
import java.time.Duration;

/**
 * Where a DLQ lives: dead letters on {@code <prefix>.dlq.<type>} in {@code dlqStream}; their workflow
 * state (status, counts, replay lineage) in the KV bucket {@code stateBucket}; operator actions in
 * {@code auditStream} on {@code <prefix>.dlq-audit}.
 *
 * @param prefix the subject prefix
 * @param dlqStream the DLQ stream
 * @param createStreams create the DLQ stream, the state bucket and the audit stream when missing
 * @param duplicateWindow the DLQ stream's duplicate window when it is created (zero: the server's default)
 * @param maxAge how long the DLQ stream keeps dead letters when it is created (zero: forever)
 * @param observer hears replays and the deaths the backstop finds; never null
 * @param clock the store's clock (status times, audit entries)
 */
public record StoreConfig(String prefix, String dlqStream, boolean createStreams, Duration duplicateWindow,
    Duration maxAge, DlqObserver observer, Clock clock) {

  public StoreConfig {
    if (prefix == null || prefix.isBlank() || prefix.contains("*") || prefix.contains(">") || prefix.contains(" ")
        || prefix.startsWith(".") || prefix.endsWith(".")) {
      throw new IllegalArgumentException("subject prefix must be subject tokens without wildcards but was '" + prefix + "'");
    }
    if (dlqStream == null || dlqStream.isBlank()) {
      dlqStream = Nats.dlqStreamFor(prefix);
    }
  }

  /** {@code <prefix>.dlq} */
  public String dlqSubjectRoot() {
    return prefix + ".dlq";
  }

  /** {@code <prefix>.dlq.>} */
  public String dlqSubjects() {
    return prefix + ".dlq.>";
  }

  /** The DLQ subject of a message type. */
  public String dlqSubject(String type) {
    return dlqSubjectRoot() + "." + Nats.subjectTokens(type);
  }

  public String stateBucket() {
    return dlqStream + "_STATE";
  }

  public String auditStream() {
    return dlqStream + "_AUDIT";
  }

  public String auditSubject() {
    return prefix + ".dlq-audit";
  }
}
