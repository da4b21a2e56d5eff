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

  /**
   * The decision for {@code failure}; never null.
   *
   * @param failure the attempt that failed, with the classifier's verdict
   * @return retry after a delay, or give up with a reason
   */
  RetryDecision decide(Failure failure);

  /**
   * A builder for the general policy: attempts, backoff, jitter, overrides, retry-after hints.
   *
   * @return a new builder with the defaults: 3 attempts, a fixed 1 s backoff, no jitter
   */
  static Builder builder() {
    return new RetryPolicyBuilder();
  }

  /**
   * Retry after the same {@code delay}, {@code maxAttempts} attempts in all.
   *
   * @param delay the delay before every retry
   * @param maxAttempts attempts in all, including the first
   * @return the policy
   * @throws IllegalArgumentException when {@code delay} is null or negative, or {@code maxAttempts}
   *     is below 1
   */
  static RetryPolicy fixed(Duration delay, int maxAttempts) {
    return builder().maxAttempts(maxAttempts).fixedBackoff(delay).build();
  }

  /**
   * Exponential backoff doubling from {@code initial} up to {@code cap}, full jitter.
   *
   * @param initial the delay before the first retry
   * @param cap the longest delay
   * @param maxAttempts attempts in all, including the first
   * @return the policy
   * @throws IllegalArgumentException when a duration is null or negative, {@code cap} is below
   *     {@code initial}, or {@code maxAttempts} is below 1
   */
  static RetryPolicy exponential(Duration initial, Duration cap, int maxAttempts) {
    return builder().maxAttempts(maxAttempts).exponentialBackoff(initial, cap).jitter(Jitter.FULL).build();
  }

  /**
   * Never retry: the first failure gives up ({@link DeadLetterReason#EXHAUSTED}, or NON_RETRYABLE for USER_ERROR).
   *
   * @return the policy
   */
  static RetryPolicy none() {
    return builder().maxAttempts(1).fixedBackoff(Duration.ZERO).build();
  }

  /**
   * 5 attempts, 100 ms doubling, capped at 500 ms, equal jitter.
   *
   * @return the policy
   */
  static RetryPolicy aggressive() {
    return builder().maxAttempts(5).exponentialBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).jitter(Jitter.EQUAL).build();
  }

  /**
   * 3 attempts, 1 s doubling, capped at 10 s, equal jitter. The worker's default.
   *
   * @return the policy
   */
  static RetryPolicy conservative() {
    return builder().maxAttempts(3).exponentialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10)).jitter(Jitter.EQUAL).build();
  }

  /**
   * The most attempts this policy allows for {@code errorClass} (used for dead-letter records and crash backstops).
   * The default implementation returns {@link Integer#MAX_VALUE}: no known budget.
   *
   * @param errorClass the class of failure
   * @return the attempt budget, including the first attempt
   */
  default int maxAttempts(ErrorClass errorClass) {
    return Integer.MAX_VALUE;
  }

  /** Builds the general policy. Mutable and not thread-safe; the policy it builds is immutable. */
  interface Builder {
    /**
     * Attempts in all, including the first; default 3.
     *
     * @param maxAttempts the attempt budget
     * @return this builder
     * @throws IllegalArgumentException when {@code maxAttempts} is below 1
     */
    Builder maxAttempts(int maxAttempts);

    /**
     * The same delay before every retry; default 1 s.
     *
     * @param delay the delay
     * @return this builder
     * @throws IllegalArgumentException when {@code delay} is null or negative
     */
    Builder fixedBackoff(Duration delay);

    /**
     * {@code initial}, doubling per attempt, never above {@code cap}.
     *
     * @param initial the delay before the first retry
     * @param cap the longest delay
     * @return this builder
     * @throws IllegalArgumentException when a duration is null or negative, or {@code cap} is below
     *     {@code initial}
     */
    Builder exponentialBackoff(Duration initial, Duration cap);

    /**
     * {@code initial}, times {@code factor} per attempt, never above {@code cap}.
     *
     * @param initial the delay before the first retry
     * @param cap the longest delay
     * @param factor the growth per attempt, at least 1.0 and finite
     * @return this builder
     * @throws IllegalArgumentException when a duration is null or negative, {@code cap} is below
     *     {@code initial}, or {@code factor} is below 1.0, infinite or NaN
     */
    Builder exponentialBackoff(Duration initial, Duration cap, double factor);

    /**
     * How the delay is randomised; default {@link Jitter#NONE}.
     *
     * @param jitter the jitter
     * @return this builder
     * @throws IllegalArgumentException when {@code jitter} is null
     */
    Builder jitter(Jitter jitter);

    /**
     * Use {@code policy} for failures of {@code errorClass}: it decides them, and states their attempt
     * budget, in place of every other setting of this builder. A later call for the same class
     * replaces the earlier one.
     *
     * @param errorClass the class of failure
     * @param policy the policy for it
     * @return this builder
     * @throws IllegalArgumentException when an argument is null
     */
    Builder override(ErrorClass errorClass, RetryPolicy policy);

    /**
     * Whether USER_ERROR failures are retried like the others; default false.
     *
     * @param retry true to retry them
     * @return this builder
     */
    Builder retryUserErrors(boolean retry);

    /**
     * Honour retry-after hints, but never wait longer than {@code cap}; default 5 minutes.
     *
     * @param cap the longest delay a hint may ask for
     * @return this builder
     * @throws IllegalArgumentException when {@code cap} is null or negative
     */
    Builder retryAfterCap(Duration cap);

    /**
     * Builds the policy from the current settings; the builder may be changed and used again.
     *
     * @return an immutable, thread-safe policy
     */
    RetryPolicy build();
  }
}
