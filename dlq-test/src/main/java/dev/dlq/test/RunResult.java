package dev.dlq.test;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.Message;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What happened to one message driven through a processor by {@link DlqTest}: every delivery the
 * processor saw, every failed attempt with the delay before the next one, and how it ended.
 *
 * @param settled how the message ended
 * @param deliveries the messages as the processor saw them, in order (attempt 1, 2, ...)
 * @param failedAttempts the attempts that failed, in order (error class, type, message, time)
 * @param delays the retry delay chosen after each failed attempt that was retried, in order
 * @param deadLetter the dead letter, when the message was dead-lettered
 * @param elapsed the time that passed on the test clock from enqueue to the end
 */
public record RunResult(Settled settled, List<Message> deliveries, List<Attempt> failedAttempts, List<Duration> delays,
    Optional<DeadLetter> deadLetter, Duration elapsed) {

  /** How a message driven by {@link DlqTest} ended. */
  public enum Settled {
    /** The processor succeeded and the message left its queue. */
    SUCCEEDED,
    /** The message was dead-lettered (see {@link RunResult#deadLetter()}). */
    DEAD_LETTERED
  }

  /**
   * A result; the lists are copied (a {@link DlqTest} run builds it).
   *
   * @param settled how the message ended
   * @param deliveries the messages as the processor saw them, in order
   * @param failedAttempts the attempts that failed, in order
   * @param delays the retry delay chosen after each retried failure, in order
   * @param deadLetter the dead letter, when the message was dead-lettered
   * @param elapsed the time that passed on the test clock from enqueue to the end
   */
  public RunResult {
    deliveries = List.copyOf(deliveries);
    failedAttempts = List.copyOf(failedAttempts);
    delays = List.copyOf(delays);
  }

  /**
   * How many times the processor ran.
   *
   * @return the number of deliveries
   */
  public int processorCalls() {
    return deliveries.size();
  }

  /**
   * The dead letter, for a run that must have ended in one.
   *
   * @return the dead letter
   * @throws AssertionError when the message was not dead-lettered
   */
  public DeadLetter requireDeadLetter() {
    return deadLetter.orElseThrow(() -> new AssertionError("expected a dead letter, but the message " + settled
        + " after " + processorCalls() + " call(s)"));
  }
}
