package dev.dlq.sqs.internal;

import dev.dlq.ErrorClass;
import dev.dlq.ErrorClassifier;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Classifies the AWS SDK's exceptions (found by {@link java.util.ServiceLoader}, part of
 * {@link ErrorClassifier#defaults()}): throttling, clock skew, timeouts, 408, 429, 502-504 and
 * what the SDK itself would retry are RECOVERABLE; other 5xx SYSTEM_ERROR; other 4xx USER_ERROR.
 * Walks the cause chain; answers UNKNOWN for anything else. Stateless and thread-safe.
 */
public final class SqsErrorClassifier implements ErrorClassifier {
  private static final int MAX_DEPTH = 16;

  @Override
  public ErrorClass classify(Throwable error) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
      ErrorClass c = one(t);
      if (c != ErrorClass.UNKNOWN) {
        return c;
      }
    }
    return ErrorClass.UNKNOWN;
  }

  private static ErrorClass one(Throwable t) {
    if (t instanceof SdkServiceException e) {
      int status = e.statusCode();
      if (e.isThrottlingException() || e.isClockSkewException() || status == 408 || status == 429
          || status == 502 || status == 503 || status == 504) {
        return ErrorClass.RECOVERABLE;
      }
      if (status >= 500) {
        return ErrorClass.SYSTEM_ERROR;
      }
      if (status >= 400) {
        return ErrorClass.USER_ERROR;
      }
      return e.retryable() ? ErrorClass.RECOVERABLE : ErrorClass.UNKNOWN;
    }
    if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException
        || t instanceof AbortedException) {
      return ErrorClass.RECOVERABLE;
    }
    if (t instanceof SdkClientException e && e.retryable()) {
      return ErrorClass.RECOVERABLE;
    }
    return ErrorClass.UNKNOWN;
  }

  /** Above the built-in rules (0), so that an SDK exception is judged by its status, not by its cause. */
  @Override
  public int priority() {
    return 10;
  }
}
