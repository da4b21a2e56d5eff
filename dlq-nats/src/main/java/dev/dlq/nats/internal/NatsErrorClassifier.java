package dev.dlq.nats.internal;

import dev.dlq.ErrorClass;
import dev.dlq.ErrorClassifier;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamStatusException;

/**
 * Classifies the NATS client's own exceptions for processors that talk to NATS: JetStream API errors
 * with a 408, 429 or 5xx code and pull-status errors are RECOVERABLE (timeouts, no responders, a
 * leader election); other JetStream API errors (a missing stream, a bad request) are SYSTEM_ERROR.
 * Runs before the built-in rules. Stateless.
 */
public final class NatsErrorClassifier implements ErrorClassifier {
  @Override
  public ErrorClass classify(Throwable error) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof JetStreamApiException e) {
        int code = e.getErrorCode();
        return code == 408 || code == 429 || code >= 500 ? ErrorClass.RECOVERABLE : ErrorClass.SYSTEM_ERROR;
      }
      if (t instanceof JetStreamStatusException) {
        return ErrorClass.RECOVERABLE;
      }
    }
    return ErrorClass.UNKNOWN;
  }

  @Override
  public int priority() {
    return 10;
  }
}
