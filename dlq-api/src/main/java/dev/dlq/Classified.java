package dev.dlq;

import java.time.Duration;
import java.util.Optional;

/**
 * Implemented by an exception that knows its own {@link ErrorClass}; the default classifier honours
 * it before any other rule. It may also carry a retry-after hint (for example from an HTTP 429 or
 * 503 response), which retry policies honour up to their cap.
 */
public interface Classified {
  /**
   * The class of this failure.
   *
   * @return the class; {@link ErrorClass#UNKNOWN} lets the default classifier look at the cause
   */
  ErrorClass errorClass();

  /**
   * A delay the failing dependency asked for, if any.
   *
   * @return the delay, or empty (the default)
   */
  default Optional<Duration> retryAfter() {
    return Optional.empty();
  }
}
