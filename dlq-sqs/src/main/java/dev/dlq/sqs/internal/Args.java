package dev.dlq.sqs.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks with messages of the form "lease must be > 0 but was PT0S" (STYLE rule 8). */
public final class Args {
  private Args() {}

  public static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  public static String notBlank(String value, String name) {
    notNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  public static int between(int value, int min, int max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max + " but was " + value);
    }
    return value;
  }

  public static Duration notNegative(Duration value, String name) {
    Objects.requireNonNull(value, name + " must not be null");
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0 but was " + value);
    }
    return value;
  }

  /** An SQS visibility timeout: whole seconds from 1 s to 12 h. */
  public static Duration visibility(Duration value, String name) {
    between(value, Duration.ofSeconds(1), Duration.ofHours(12), name);
    if (value.getNano() != 0) {
      throw new IllegalArgumentException(name + " must be whole seconds (SQS visibility) but was " + value);
    }
    return value;
  }

  public static Duration between(Duration value, Duration min, Duration max, String name) {
    notNull(value, name);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max + " but was " + value);
    }
    return value;
  }
}
