package dev.dlq.internal.policy;

import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.Failure;
import dev.dlq.Jitter;
import dev.dlq.RetryDecision;
import dev.dlq.RetryPolicy;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Attempts, exponential or fixed backoff, jitter, overrides, retry-after hints. Immutable. */
final class StandardRetryPolicy implements RetryPolicy {
  private static final RetryDecision NON_RETRYABLE = RetryDecision.giveUp(DeadLetterReason.NON_RETRYABLE);
  private static final RetryDecision EXHAUSTED = RetryDecision.giveUp(DeadLetterReason.EXHAUSTED);

  private final int maxAttempts;
  private final long initialNanos;
  private final long capNanos;
  private final double factor;
  private final Jitter jitter;
  private final boolean retryUserErrors;
  private final long retryAfterCapNanos;
  // indexed by ErrorClass.ordinal(); null where there is no override
  private final RetryPolicy[] overrides;

  StandardRetryPolicy(int maxAttempts, long initialNanos, long capNanos, double factor, Jitter jitter,
      boolean retryUserErrors, long retryAfterCapNanos, Map<ErrorClass, RetryPolicy> overrides) {
    this.maxAttempts = maxAttempts;
    this.initialNanos = initialNanos;
    this.capNanos = capNanos;
    this.factor = factor;
    this.jitter = jitter;
    this.retryUserErrors = retryUserErrors;
    this.retryAfterCapNanos = retryAfterCapNanos;
    this.overrides = new RetryPolicy[ErrorClass.values().length];
    new EnumMap<>(overrides).forEach((k, v) -> this.overrides[k.ordinal()] = v);
  }

  @Override
  public RetryDecision decide(Failure failure) {
    ErrorClass errorClass = failure.errorClass();
    RetryPolicy override = overrides[errorClass.ordinal()];
    if (override != null) {
      return override.decide(failure);
    }
    if (errorClass == ErrorClass.USER_ERROR && !retryUserErrors) {
      return NON_RETRYABLE;
    }
    int attempt = failure.attempt();
    if (attempt >= maxAttempts) {
      return EXHAUSTED;
    }
    if (failure.retryAfter().isPresent()) {
      long hinted = failure.retryAfter().get().toNanos();
      return RetryDecision.retryAfter(Duration.ofNanos(Math.min(Math.max(hinted, 0), retryAfterCapNanos)));
    }
    return RetryDecision.retryAfter(Duration.ofNanos(delayNanos(attempt)));
  }

  /** The delay before attempt {@code failedAttempt + 1}. */
  long delayNanos(int failedAttempt) {
    double raw = initialNanos * Math.pow(factor, failedAttempt - 1);
    long base = raw >= capNanos ? capNanos : (long) raw;
    if (base <= 0) {
      return 0;
    }
    switch (jitter) {
      case FULL:
        return ThreadLocalRandom.current().nextLong(base + 1);
      case EQUAL:
        long half = base / 2;
        return half + ThreadLocalRandom.current().nextLong(base - half + 1);
      default:
        return base;
    }
  }

  @Override
  public int maxAttempts(ErrorClass errorClass) {
    RetryPolicy override = overrides[errorClass.ordinal()];
    if (override != null) {
      return override.maxAttempts(errorClass);
    }
    return errorClass == ErrorClass.USER_ERROR && !retryUserErrors ? 1 : maxAttempts;
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts=" + maxAttempts + ", initial=" + Duration.ofNanos(initialNanos) + ", cap="
        + Duration.ofNanos(capNanos) + ", factor=" + factor + ", jitter=" + jitter + "]";
  }
}
