package dev.dlq.postgres;

import dev.dlq.ErrorClass;
import dev.dlq.spi.Checks;
import java.time.Instant;
import java.util.Optional;

/**
 * Where one task of a {@link PostgresQueue} stands, as its row in the task table said when
 * {@link PostgresQueue#state(String)} read it: a snapshot, not kept up to date. Immutable and
 * thread-safe.
 *
 * @param taskId the task's id (the message id its workers see)
 * @param status the task's status
 * @param attempts the attempts started so far, a running one included (0 before the first claim)
 * @param maxAttempts the task's attempt budget (its crash backstop; a claim may rewrite it)
 * @param runAt when the task is, or was, due to run
 * @param leaseOwner the worker holding the lease; present only while {@link Status#RUNNING}
 * @param leaseUntil when that lease ends unless extended (it may have passed already: the lease reaper
 *     or a claim by id takes such a task over); present only while {@link Status#RUNNING}
 * @param lastError the error text of the last failed attempt, kept after a later success; empty when
 *     no attempt failed
 * @param lastErrorClass the class of that error; empty when no attempt failed
 * @param updatedAt when the row last changed
 */
public record PostgresTaskState(String taskId, Status status, int attempts, int maxAttempts, Instant runAt,
    Optional<String> leaseOwner, Optional<Instant> leaseUntil, Optional<String> lastError,
    Optional<ErrorClass> lastErrorClass, Instant updatedAt) {

  /** A task's status in the task table. */
  public enum Status {
    /** Waiting to run at {@link PostgresTaskState#runAt()}: new, rescheduled after a failure, or released. */
    READY,
    /** Claimed by a worker, which holds its lease. */
    RUNNING,
    /** Completed; kept only when the queue keeps completed tasks ({@code keepCompleted}), else deleted. */
    DONE,
    /** Gave up on: its dead letter was written in the same transaction. */
    DEAD
  }

  /**
   * Checks that no component is null or blank and that the counts are in range.
   *
   * @param taskId the task's id (the message id its workers see)
   * @param status the task's status
   * @param attempts the attempts started so far, a running one included
   * @param maxAttempts the task's attempt budget
   * @param runAt when the task is, or was, due to run
   * @param leaseOwner the worker holding the lease; present only while running
   * @param leaseUntil when that lease ends unless extended; present only while running
   * @param lastError the error text of the last failed attempt
   * @param lastErrorClass the class of that error
   * @param updatedAt when the row last changed
   * @throws IllegalArgumentException when a component is null, blank or out of range
   */
  public PostgresTaskState {
    Checks.notBlank(taskId, "taskId");
    Checks.notNull(status, "status");
    Checks.atLeast(attempts, 0, "attempts");
    Checks.atLeast(maxAttempts, 1, "maxAttempts");
    Checks.notNull(runAt, "runAt");
    Checks.notNull(leaseOwner, "leaseOwner");
    Checks.notNull(leaseUntil, "leaseUntil");
    Checks.notNull(lastError, "lastError");
    Checks.notNull(lastErrorClass, "lastErrorClass");
    Checks.notNull(updatedAt, "updatedAt");
  }

  /**
   * Whether the task is finished for good: {@link Status#DONE} or {@link Status#DEAD}.
   *
   * @return true when the task is DONE or DEAD
   */
  public boolean finished() {
    return status == Status.DONE || status == Status.DEAD;
  }
}
