package dev.dlq.spi;

import java.time.Duration;

/**
 * Argument checks shared by dlq and its backends. Each throws {@link IllegalArgumentException}
 * with a message of the form "maxAttempts must be >= 1 but was 0" (a null is an
 * IllegalArgumentException too, never a NullPointerException). Stateless and thread-safe.
 */
public final class Checks {
  private Checks() {}

  /**
   * Returns {@code value} when it is not null.
   *
   * @param <T> the value's type
   * @param value the value to check
   * @param name the argument's name, used in the message
   * @return {@code value}
   * @throws IllegalArgumentException when it is null
   */
  public static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  /**
   * Returns {@code value} when it is neither null nor blank.
   *
   * @param value the value to check
   * @param name the argument's name, used in the message
   * @return {@code value}
   * @throws IllegalArgumentException when it is null or blank
   */
  public static String notBlank(String value, String name) {
    notNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  /**
   * Returns {@code value} when it is at least {@code min}.
   *
   * @param value the value to check
   * @param min the smallest allowed value
   * @param name the argument's name, used in the message
   * @return {@code value}
   * @throws IllegalArgumentException when it is below {@code min}
   */
  public static int atLeast(int value, int min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + " but was " + value);
    }
    return value;
  }

  /**
   * Returns {@code value} when it is at least {@code min}.
   *
   * @param value the value to check
   * @param min the smallest allowed value
   * @param name the argument's name, used in the message
   * @return {@code value}
   * @throws IllegalArgumentException when it is below {@code min}
   */
  public static long atLeast(long value, long min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + " but was " + value);
    }
    return value;
  }

  /**
   * Returns {@code value} when it is zero or positive.
   *
   * @param value the value to check
   * @param name the argument's name, used in the message
   * @return {@code value}
   * @throws IllegalArgumentException when it is null or negative
   */
  public static Duration notNegative(Duration value, String name) {
    notNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0 but was " + value);
    }
    return value;
  }

  /**
   * Returns {@code value} when it is positive.
   *
   * @param value the value to check
   * @param name the argument's name, used in the message
   * @return {@code value}
   * @throws IllegalArgumentException when it is null, zero or negative
   */
  public static Duration positive(Duration value, String name) {
    notNegative(value, name);
    if (value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0 but was " + value);
    }
    return value;
  }

  /**
   * Returns {@code value} when it is within [{@code min}, {@code max}].
   *
   * @param value the value to check
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @param name the argument's name, used in the message
   * @return {@code value}
   * @throws IllegalArgumentException when it is outside [{@code min}, {@code max}]
   */
  public static int between(int value, int min, int max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max + " but was " + value);
    }
    return value;
  }

  /**
   * Returns {@code value} when it is within [{@code min}, {@code max}].
   *
   * @param value the value to check
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @param name the argument's name, used in the message
   * @return {@code value}
   * @throws IllegalArgumentException when it is null or outside [{@code min}, {@code max}]
   */
  public static Duration between(Duration value, Duration min, Duration max, String name) {
    notNull(value, name);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max + " but was " + value);
    }
    return value;
  }
}
