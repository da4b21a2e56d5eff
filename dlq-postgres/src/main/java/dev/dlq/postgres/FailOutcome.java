package dev.dlq.postgres;

import dev.dlq.spi.Checks;
import dev.dlq.DeadLetter;
import dev.dlq.RecordResult;
import dev.dlq.spi.Checks;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@link PostgresQueue#fail} did to a task, decided and written in one transaction.
 * {@link #becameDead()} is true for exactly one call per death of a task, however many workers
 * fail it at once: count the dead letter (and publish it downstream) only then. Immutable and
 * thread-safe.
 *
 * @param taskId the task
 * @param result what happened
 * @param attempts the task's attempts so far
 * @param nextRunAt when it runs again, for {@link Result#RESCHEDULED}
 * @param deadLetter the dead letter written, for {@link Result#DEAD}
 * @param recorded what writing the dead letter did, for {@link Result#DEAD}
 */
public record FailOutcome(String taskId, Result result, int attempts, Optional<Instant> nextRunAt,
    Optional<DeadLetter> deadLetter, Optional<RecordResult> recorded) {

  /** What a failure did. */
  public enum Result {
    /** The task runs again at {@link #nextRunAt()}. */
    RESCHEDULED,
    /** This call made the task DEAD and wrote its dead letter. */
    DEAD,
    /** Nothing changed: the task is missing, finished, dead, or not held by this worker. */
    NOT_HELD
  }

  /**
   * Checks that {@code recorded} is not null.
   *
   * @param taskId the task
   * @param result what happened
   * @param attempts the task's attempts so far
   * @param nextRunAt when it runs again, for {@link Result#RESCHEDULED}
   * @param deadLetter the dead letter written, for {@link Result#DEAD}
   * @param recorded what writing the dead letter did, for {@link Result#DEAD}
   */
  public FailOutcome {
    Checks.notBlank(taskId, "taskId");
    Checks.notNull(result, "result");
    Checks.notNull(nextRunAt, "nextRunAt");
    Checks.notNull(deadLetter, "deadLetter");
    Checks.notNull(recorded, "recorded");
  }

  /**
   * Whether this call moved the task into the DEAD state (true once per death).
   *
   * @return true when this call made the task DEAD
   */
  public boolean becameDead() {
    return result == Result.DEAD;
  }

  static FailOutcome rescheduled(String taskId, int attempts, Instant at) {
    return new FailOutcome(taskId, Result.RESCHEDULED, attempts, Optional.of(at), Optional.empty(), Optional.empty());
  }

  static FailOutcome dead(String taskId, int attempts, DeadLetter dl, RecordResult recorded) {
    return new FailOutcome(taskId, Result.DEAD, attempts, Optional.empty(), Optional.of(dl), Optional.of(recorded));
  }

  static FailOutcome notHeld(String taskId, int attempts) {
    return new FailOutcome(taskId, Result.NOT_HELD, attempts, Optional.empty(), Optional.empty(), Optional.empty());
  }
}
