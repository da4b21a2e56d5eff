package dev.dlq;

import static dev.dlq.spi.Checks.atLeast;
import static dev.dlq.spi.Checks.notNull;

import java.time.Duration;
import java.time.Instant;

/**
 * One failed attempt in a dead letter's history. Immutable and thread-safe.
 *
 * @param number the attempt, 1-based
 * @param at when it failed
 * @param errorClass the classifier's verdict
 * @param errorType the exception's class name, or a reason such as "rejected" when nothing was thrown
 * @param errorMessage the exception's message, possibly empty, bounded
 * @param duration how long the processor ran
 * @param workerId the worker that ran it
 */
public record Attempt(int number, Instant at, ErrorClass errorClass, String errorType, String errorMessage,
    Duration duration, String workerId) {
  /**
   * Checks the arguments.
   *
   * @param number the attempt, at least 1
   * @param at when it failed
   * @param errorClass the classifier's verdict
   * @param errorType the exception's class name, or a reason
   * @param errorMessage the exception's message, may be empty
   * @param duration how long the processor ran
   * @param workerId the worker that ran it
   * @throws IllegalArgumentException when an argument is null or {@code number} is below 1
   */
  public Attempt {
    atLeast(number, 1, "number");
    notNull(at, "at");
    notNull(errorClass, "errorClass");
    notNull(errorType, "errorType");
    notNull(errorMessage, "errorMessage");
    notNull(duration, "duration");
    notNull(workerId, "workerId");
  }
}
