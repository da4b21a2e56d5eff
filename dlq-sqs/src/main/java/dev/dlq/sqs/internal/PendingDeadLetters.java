package dev.dlq.sqs.internal;

import dev.dlq.DeadLetter;
import dev.dlq.spi.DlqObserver;
import dev.dlq.RecordResult;
import dev.dlq.spi.DeadLetterSink;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages judged dead whose dead letter could not be recorded (the dead-letter queue missing or
 * unreachable). The message stays in its queue, so SQS delivers it again; SQS cannot carry the
 * verdict on the message, so this process remembers it and, on redelivery, retries only the record,
 * never the processor, keeping the message invisible longer after each failure (1 s, 2 s, 4 s, ...
 * up to 5 min) until the sink takes it.
 *
 * <p>Best effort: bounded (the least recently failed verdicts are dropped, logged) and lost on
 * restart; a message whose verdict is gone, or that another process receives, is processed again.
 * Thread-safe.
 */
public final class PendingDeadLetters {
  private static final Logger log = LoggerFactory.getLogger(PendingDeadLetters.class);
  static final Duration FIRST_WAIT = Duration.ofSeconds(1);
  static final Duration MAX_WAIT = Duration.ofMinutes(5);

  private final Map<String, Pending> byId;
  private volatile DlqObserver observer = DlqObserver.NONE;

  private record Pending(DeadLetter deadLetter, DeadLetterSink sink, int failures) {}

  public PendingDeadLetters(int maxMessages) {
    this.byId = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Pending> eldest) {
        if (size() <= maxMessages) {
          return false;
        }
        log.warn("more than {} messages wait for their dead letter to be recorded; message {} will be processed "
            + "again when it comes back", maxMessages, eldest.getKey());
        return true;
      }
    };
  }

  /** Where a dead letter recorded late is reported: the worker's observers. */
  void bind(DlqObserver observer) {
    this.observer = observer;
  }

  /**
   * Remembers that recording {@code deadLetter} in {@code sink} failed once more; returns how long
   * its message should stay invisible before the next try.
   */
  public Duration failed(DeadLetter deadLetter, DeadLetterSink sink) {
    int failures;
    synchronized (this) {
      Pending before = byId.get(deadLetter.message().id());
      failures = before == null ? 1 : before.failures() + 1;
      byId.put(deadLetter.message().id(), new Pending(deadLetter, sink, failures));
    }
    return waitAfter(failures);
  }

  static Duration waitAfter(int failures) {
    Duration wait = FIRST_WAIT.multipliedBy(1L << Math.min(failures - 1, 20));
    return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
  }

  /** How often recording the dead letter of message {@code id} failed; 0 when none is pending. */
  public synchronized int failures(String id) {
    Pending p = byId.get(id);
    return p == null ? 0 : p.failures();
  }

  /**
   * For a message received again: when its verdict is pending, tries the record once more, deletes
   * the message when it worked and otherwise pushes its visibility out further.
   *
   * @return whether the message was handled here (then it must not reach the worker)
   */
  boolean retry(String id, Held held, Histories histories) {
    Pending p;
    synchronized (this) {
      p = byId.get(id);
    }
    if (p == null) {
      return false;
    }
    RecordResult result;
    try {
      result = p.sink().record(p.deadLetter());
    } catch (RuntimeException e) {
      Duration wait = failed(p.deadLetter(), p.sink());
      log.warn("dead letter {} of message {} still not recorded ({} failures; the message stays and is tried again in "
          + "{}): {}", p.deadLetter().id(), id, p.failures() + 1, wait, e.toString());
      try {
        held.visibleAfter(wait);
      } catch (RuntimeException again) {
        log.warn("could not delay message {}; it comes back when its visibility ends", id, again);
      }
      return true;
    }
    try {
      held.delete();
    } catch (RuntimeException e) {
      // kept: it comes back, is recorded again (a sink records a death once) and deleted then
      log.warn("dead letter {} of message {} recorded, but the message could not be deleted; it comes back",
          p.deadLetter().id(), id, e);
      return true;
    }
    synchronized (this) {
      byId.remove(id);
    }
    observer.deadLettered(p.deadLetter(), result, java.time.Duration.ZERO);
    histories.forget(id);
    log.info("dead letter {} of message {} recorded after {} failed tries; the message left its queue",
        p.deadLetter().id(), id, p.failures());
    return true;
  }
}
