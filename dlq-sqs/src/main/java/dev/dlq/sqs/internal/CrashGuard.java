package dev.dlq.sqs.internal;

import dev.dlq.spi.Checks;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DlqObserver;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Poison that crashes its worker never gets to settle, so SQS keeps redelivering it. A message
 * received more than {@code maxReceives} times is dead-lettered by the source itself (reason
 * LEASE_EXPIRED) instead of being handed to the worker again, and reported once. Thread-safe.
 */
public record CrashGuard(int maxReceives, DeadLetterSink sink, DlqObserver observer, String workerId) {
  private static final Logger log = LoggerFactory.getLogger(CrashGuard.class);

  public CrashGuard {
    Checks.between(maxReceives, 1, 1000, "maxReceives");
    Checks.notNull(sink, "sink");
    Checks.notNull(observer, "observer");
  }

  boolean tripped(Message m) {
    return m.attempt() > maxReceives;
  }

  /** Records {@code m} as a crash loop, then deletes it; on failure it stays and comes back with its visibility. */
  void deadLetter(Message m, Held held, List<dev.dlq.Attempt> history, Histories histories) {
    String text = "received " + m.attempt() + " times (limit " + maxReceives + ") without being settled: its workers"
        + " crashed, hung or lost it";
    DeadLetter dl = DeadLetter.builder(m).errorClass(ErrorClass.SYSTEM_ERROR).errorType("lease-expired")
        .errorMessage(text).reason(DeadLetterReason.LEASE_EXPIRED).attempts(m.attempt()).maxAttempts(maxReceives)
        .workerId(workerId).history(history).build();
    try {
      RecordResult r = sink.record(dl);
      held.delete();
      histories.forget(m.id());
      observer.deadLettered(dl, r, java.time.Duration.ZERO);
      log.warn("message {} dead-lettered as a crash loop: {}", m.id(), text);
    } catch (RuntimeException e) {
      log.warn("could not dead-letter crash-looping message {}; it comes back when its visibility ends", m.id(), e);
    }
  }
}
