package dev.dlq;

import dev.dlq.internal.policy.RetryPolicyBuilder;
import java.time.Duration;

/**
 * Decides, for each failure, whether to retry and after how long, or to give up.
 *
 * <p>The built-in policies are immutable and thread-safe; custom implementations must be too.
 * Built-in policies never retry {@link ErrorClass#USER_ERROR} (reason
 * {@link DeadLetterReason#NON_RETRYABLE}) unless an override says otherwise.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .maxAttempts(5)
 *     .exponentialBackoff(Duration.ofMillis(200), Duration.ofSeconds(30))
 *     .jitter(Jitter.FULL)
 *     .override(ErrorClass.RECOVERABLE, RetryPolicy.fixed(Duration.ofSeconds(5), 20))
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface RetryPolicy {

  /** The decision for {@code failure}; never null. */
  RetryDecision decide(Failure failure);

  /** A builder for the general policy: attempts, backoff, jitter, overrides, retry-after hints. */
  static Builder builder() {
    return new RetryPolicyBuilder();
  }

  /** Retry after the same {@code delay}, {@code maxAttempts} attempts in all. */
  static RetryPolicy fixed(Duration delay, int maxAttempts) {
    return builder().maxAttempts(maxAttempts).fixedBackoff(delay).build();
  }

  /** Exponential backoff doubling from {@code initial} up to {@code cap}, full jitter. */
  static RetryPolicy exponential(Duration initial, Duration cap, int maxAttempts) {
    return builder().maxAttempts(maxAttempts).exponentialBackoff(initial, cap).jitter(Jitter.FULL).build();
  }

  /** Never retry: the first failure gives up ({@link DeadLetterReason#EXHAUSTED}, or NON_RETRYABLE for USER_ERROR). */
  static RetryPolicy none() {
    return builder().maxAttempts(1).fixedBackoff(Duration.ZERO).build();
  }

  /** 5 attempts, 100 ms doubling, capped at 500 ms, equal jitter. */
  static RetryPolicy aggressive() {
    return builder().maxAttempts(5).exponentialBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).jitter(Jitter.EQUAL).build();
  }

  /** 3 attempts, 1 s doubling, capped at 10 s, equal jitter. */
  static RetryPolicy conservative() {
    return builder().maxAttempts(3).exponentialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10)).jitter(Jitter.EQUAL).build();
  }

  /** The most attempts this policy allows for {@code errorClass} (used for dead-letter records and crash backstops). */
  default int maxAttempts(ErrorClass errorClass) {
    return Integer.MAX_VALUE;
  }

  /** Builds the general policy. Mutable and not thread-safe; the policy it builds is immutable. */
  interface Builder {
    /** Attempts in all, including the first; default 3. */
    Builder maxAttempts(int maxAttempts);

    /** The same delay before every retry. */
    Builder fixedBackoff(Duration delay);

    /** {@code initial}, doubling per attempt, never above {@code cap}. */
    Builder exponentialBackoff(Duration initial, Duration cap);

    /** {@code initial}, times {@code factor} per attempt, never above {@code cap}. */
    Builder exponentialBackoff(Duration initial, Duration cap, double factor);

    /** How the delay is randomised; default {@link Jitter#NONE}. */
    Builder jitter(Jitter jitter);

    /** Use {@code policy} for failures of {@code errorClass}. */
    Builder override(ErrorClass errorClass, RetryPolicy policy);

    /** Whether USER_ERROR failures are retried like the others; default false. */
    Builder retryUserErrors(boolean retry);

    /** Honour retry-after hints, but never wait longer than {@code cap}; default 5 minutes. */
    Builder retryAfterCap(Duration cap);

    RetryPolicy build();
  }
}
