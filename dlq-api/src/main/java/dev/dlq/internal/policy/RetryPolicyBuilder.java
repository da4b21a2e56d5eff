package dev.dlq.internal.policy;

import static dev.dlq.spi.Checks.atLeast;
import static dev.dlq.spi.Checks.notNegative;
import static dev.dlq.spi.Checks.notNull;

import dev.dlq.ErrorClass;
import dev.dlq.Jitter;
import dev.dlq.RetryPolicy;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The one builder behind {@link RetryPolicy#builder()}. */
public final class RetryPolicyBuilder implements RetryPolicy.Builder {
  private int maxAttempts = 3;
  private long initialNanos = Duration.ofSeconds(1).toNanos();
  private long capNanos = Duration.ofSeconds(1).toNanos();
  private double factor = 1.0;
  private Jitter jitter = Jitter.NONE;
  private boolean retryUserErrors;
  private long retryAfterCapNanos = Duration.ofMinutes(5).toNanos();
  private final Map<ErrorClass, RetryPolicy> overrides = new EnumMap<>(ErrorClass.class);

  @Override
  public RetryPolicy.Builder maxAttempts(int maxAttempts) {
    this.maxAttempts = atLeast(maxAttempts, 1, "maxAttempts");
    return this;
  }

  @Override
  public RetryPolicy.Builder fixedBackoff(Duration delay) {
    initialNanos = notNegative(delay, "delay").toNanos();
    capNanos = initialNanos;
    factor = 1.0;
    return this;
  }

  @Override
  public RetryPolicy.Builder exponentialBackoff(Duration initial, Duration cap) {
    return exponentialBackoff(initial, cap, 2.0);
  }

  @Override
  public RetryPolicy.Builder exponentialBackoff(Duration initial, Duration cap, double factor) {
    notNegative(initial, "initial");
    notNegative(cap, "cap");
    if (cap.compareTo(initial) < 0) {
      throw new IllegalArgumentException("cap must be >= initial (" + initial + ") but was " + cap);
    }
    if (!(factor >= 1.0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("factor must be >= 1.0 but was " + factor);
    }
    this.initialNanos = initial.toNanos();
    this.capNanos = cap.toNanos();
    this.factor = factor;
    return this;
  }

  @Override
  public RetryPolicy.Builder jitter(Jitter jitter) {
    this.jitter = notNull(jitter, "jitter");
    return this;
  }

  @Override
  public RetryPolicy.Builder override(ErrorClass errorClass, RetryPolicy policy) {
    overrides.put(notNull(errorClass, "errorClass"), notNull(policy, "policy"));
    return this;
  }

  @Override
  public RetryPolicy.Builder retryUserErrors(boolean retry) {
    this.retryUserErrors = retry;
    return this;
  }

  @Override
  public RetryPolicy.Builder retryAfterCap(Duration cap) {
    retryAfterCapNanos = notNegative(cap, "retryAfterCap").toNanos();
    return this;
  }

  @Override
  public RetryPolicy build() {
    atLeast(maxAttempts, 1, "maxAttempts");
    return new StandardRetryPolicy(maxAttempts, initialNanos, capNanos, factor, jitter, retryUserErrors,
        retryAfterCapNanos, overrides);
  }
}
