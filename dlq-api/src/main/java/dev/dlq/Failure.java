package dev.dlq;

import static dev.dlq.spi.Checks.atLeast;
import static dev.dlq.spi.Checks.notNull;

import java.time.Duration;
import java.util.Optional;

/**
 * One failed attempt, as a {@link RetryPolicy} sees it. Immutable and thread-safe.
 *
 * @param message the message whose attempt failed ({@link Message#attempt()} is the attempt that failed)
 * @param errorClass the classifier's verdict
 * @param error the throwable, empty when the processor returned {@link Outcome#retry()}
 * @param retryAfter a delay asked for by the processor or by the error, if any
 */
public record Failure(Message message, ErrorClass errorClass, Optional<Throwable> error, Optional<Duration> retryAfter) {
  /**
   * Checks the arguments.
   *
   * @param message the message whose attempt failed
   * @param errorClass the classifier's verdict
   * @param error the throwable, empty when the processor returned {@link Outcome#retry()}
   * @param retryAfter a delay asked for by the processor or by the error, if any
   * @throws IllegalArgumentException when an argument is null
   */
  public Failure {
    notNull(message, "message");
    notNull(errorClass, "errorClass");
    notNull(error, "error");
    notNull(retryAfter, "retryAfter");
  }

  /**
   * A failure caused by {@code error}; its retry-after hint comes from the first {@link Classified}
   * in {@code error}'s cause chain, if any.
   *
   * @param message the message whose attempt failed
   * @param errorClass the classifier's verdict
   * @param error the throwable
   * @return the failure
   * @throws IllegalArgumentException when {@code message} or {@code errorClass} is null
   * @throws NullPointerException when {@code error} is null
   */
  public static Failure of(Message message, ErrorClass errorClass, Throwable error) {
    return new Failure(message, errorClass, Optional.of(error), hintOf(error));
  }

  /**
   * The attempt that failed, 1-based.
   *
   * @return the message's {@link Message#attempt()}
   * @throws IllegalArgumentException when the message's attempt is below 1
   */
  public int attempt() {
    return atLeast(message.attempt(), 1, "attempt");
  }

  private static Optional<Duration> hintOf(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof Classified c) {
        return c.retryAfter();
      }
    }
    return Optional.empty();
  }
}
