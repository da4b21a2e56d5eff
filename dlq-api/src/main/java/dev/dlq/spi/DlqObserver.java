package dev.dlq.spi;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.Worker.CircuitState;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Hears every state transition of dlq's messages, once each, after it is durable: the one channel
 * that metrics (dlq-prometheus, dlq-micrometer), tracing, progress displays and tests share.
 * Workers emit the message events; sources, reapers, stores and monitors emit the deaths they cause
 * themselves, replays and gauges. The source of each message is {@link Message#source()}.
 *
 * <p>Called from dlq's threads: implementations must be thread-safe, quick, and must not throw
 * (a throwing observer is logged and otherwise ignored). Every method has a no-op default, so an
 * observer implements only what it needs. Combine several with {@link #of(DlqObserver...)}.
 */
public interface DlqObserver {

  /** Does nothing. */
  DlqObserver NONE = new DlqObserver() {};

  /**
   * One observer that calls each of {@code observers} in order; one that throws is logged and the
   * others are still called.
   *
   * @param observers the observers; none gives {@link #NONE}
   * @return the combined observer
   * @throws IllegalArgumentException when one of {@code observers} is null
   * @throws NullPointerException when {@code observers} itself is null
   */
  static DlqObserver of(DlqObserver... observers) {
    return dev.dlq.internal.Observers.of(List.of(observers));
  }

  /**
   * The message succeeded and left its source; the processor ran for {@code took}.
   *
   * @param message the message
   * @param took the processor's time
   */
  default void succeeded(Message message, Duration took) {}

  /**
   * The message failed and will be tried again after {@code delay}; {@code failed} is the attempt
   * (error class, error type and message, processor time).
   *
   * @param message the message
   * @param failed the attempt that failed
   * @param delay the delay before the next attempt
   */
  default void retried(Message message, Attempt failed, Duration delay) {}

  /**
   * The message was dead-lettered. {@code result} says whether this call made it dead
   * ({@link RecordResult#becameDead()}): count deaths on that, and each death is counted once.
   * {@code took} is the processor's time, zero where no processor ran (a reaper, an advisory).
   *
   * @param deadLetter the dead letter
   * @param result what recording it did
   * @param took the processor's time, or zero
   */
  default void deadLettered(DeadLetter deadLetter, RecordResult result, Duration took) {}

  /**
   * The message was handed back untouched (shutdown, an open circuit).
   *
   * @param message the message
   */
  default void released(Message message) {}

  /**
   * Settling {@code message} as {@code action} (complete, retry, dead_letter, release) failed; it
   * returns to its source when its lease runs out.
   *
   * @param message the message
   * @param action the settlement that failed
   * @param error why it failed
   */
  default void settleFailed(Message message, String action, RuntimeException error) {}

  /**
   * Polling {@code source} failed; the worker backs off and polls again.
   *
   * @param source the source's name
   * @param error why it failed
   */
  default void pollFailed(String source, RuntimeException error) {}

  /**
   * The circuit breaker of worker {@code workerId} moved to {@code state}.
   *
   * @param workerId the worker's id
   * @param source the name of the worker's source
   * @param state the new state
   */
  default void circuitChanged(String workerId, String source, CircuitState state) {}

  /**
   * {@code count} dead letters were sent back to their sources by a replay.
   *
   * @param store names the store they came from ("postgres:schema", "nats:stream")
   * @param count how many were sent back
   */
  default void replayed(String store, long count) {}

  /**
   * A replay job of {@link dev.dlq.ReplayRunner} changed state or passed a checkpoint (after the
   * canary, at each ramp step, when it stops): its total, sent, pending and died-again counts.
   *
   * @param job the job as it is now
   */
  default void replayProgress(dev.dlq.ReplayJob job) {}

  /**
   * A dead letter was recorded but a downstream publish of it (an SQS DLQ, a notification) failed.
   *
   * @param deadLetter the dead letter
   * @param error why the publish failed
   */
  default void publishFailed(DeadLetter deadLetter, RuntimeException error) {}

  /**
   * Asks the observer to read {@code value} whenever it reports {@code gauge}, with one label value
   * per {@link DlqGauge#labelNames()}. Reading must be cheap or cached: metrics scrapes call it.
   * The default reads nothing.
   *
   * @param gauge what {@code value} measures
   * @param labelValues the label values, in the order of {@link DlqGauge#labelNames()}
   * @param value reads the current value
   * @return a handle that stops the reading; closing it twice is harmless
   */
  default AutoCloseable gauge(DlqGauge gauge, List<String> labelValues, DoubleSupplier value) {
    return () -> {};
  }
}
