package dev.dlq.spring;

import dev.dlq.InvalidSettingException;
import dev.dlq.RetryPolicy;
import java.time.Duration;
import java.util.Locale;

/** Turns {@code dlq.queues.<name>.retry.*} into a {@link RetryPolicy}, refusing settings the preset ignores. */
final class RetryPolicies {
  private RetryPolicies() {}

  static RetryPolicy of(String queue, DlqProperties.Retry r) {
    String prefix = "dlq.queues." + queue + ".retry.";
    String preset = r.getPreset() == null ? "conservative" : r.getPreset().trim().toLowerCase(Locale.ROOT);
    switch (preset) {
      case "conservative":
      case "aggressive":
      case "none":
        refuse(prefix, preset, "max-attempts", r.getMaxAttempts());
        refuse(prefix, preset, "backoff", r.getBackoff());
        refuse(prefix, preset, "initial-backoff", r.getInitialBackoff());
        refuse(prefix, preset, "max-backoff", r.getMaxBackoff());
        return preset.equals("none") ? RetryPolicy.none()
            : preset.equals("aggressive") ? RetryPolicy.aggressive() : RetryPolicy.conservative();
      case "fixed":
        refuse(prefix, preset, "initial-backoff", r.getInitialBackoff());
        refuse(prefix, preset, "max-backoff", r.getMaxBackoff());
        return build(prefix, () -> RetryPolicy.fixed(or(r.getBackoff(), Duration.ofSeconds(1)), attempts(r)));
      case "exponential":
        refuse(prefix, preset, "backoff", r.getBackoff());
        return build(prefix, () -> RetryPolicy.exponential(or(r.getInitialBackoff(), Duration.ofMillis(200)),
            or(r.getMaxBackoff(), Duration.ofSeconds(30)), attempts(r)));
      default:
        throw new InvalidSettingException(prefix + "preset",
            prefix + "preset must be conservative, aggressive, none, fixed or exponential but was " + r.getPreset());
    }
  }

  private static int attempts(DlqProperties.Retry r) {
    return r.getMaxAttempts() == null ? 5 : r.getMaxAttempts();
  }

  private static Duration or(Duration d, Duration fallback) {
    return d == null ? fallback : d;
  }

  private static RetryPolicy build(String prefix, java.util.function.Supplier<RetryPolicy> policy) {
    try {
      return policy.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(prefix + "*", prefix + "*: " + e.getMessage(), e);
    }
  }

  private static void refuse(String prefix, String preset, String setting, Object value) {
    if (value != null) {
      throw new InvalidSettingException(prefix + setting,
          prefix + setting + " does not apply to preset " + preset + "; use fixed or exponential, or remove it");
    }
  }
}
