package dev.dlq.spi;

import dev.dlq.InvalidSettingException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Configuration handed to a provider: string settings (from a CLI, environment or file) and, where a
 * caller has one, ready objects such as a {@code DataSource} or an SDK client. Immutable and
 * thread-safe when the objects it holds are. A value that is not the type asked for is an
 * {@link InvalidSettingException} naming the setting and the provider.
 *
 * @param provider the provider's name, for error messages
 * @param values the settings
 */
public record Settings(String provider, Map<String, Object> values) {
  /**
   * Checks the provider and copies the values.
   *
   * @param provider the provider's name, not blank
   * @param values the settings, copied
   * @throws IllegalArgumentException when {@code provider} is null or blank
   * @throws NullPointerException when {@code values} is null or holds a null key or value
   */
  public Settings {
    if (provider == null || provider.isBlank()) {
      throw new IllegalArgumentException("provider must not be blank");
    }
    values = Map.copyOf(values);
  }

  /**
   * Settings for {@code provider}.
   *
   * @param provider the provider's name, not blank
   * @param values the settings, copied
   * @return the settings
   * @throws IllegalArgumentException when {@code provider} is null or blank
   * @throws NullPointerException when {@code values} is null or holds a null key or value
   */
  public static Settings of(String provider, Map<String, ?> values) {
    return new Settings(provider, Map.copyOf(values));
  }

  /**
   * The string value of {@code key}, if set.
   *
   * @param key the setting's name
   * @return the value's {@code toString()}, or empty when it is not set
   */
  public Optional<String> get(String key) {
    Object v = values.get(key);
    return v == null ? Optional.empty() : Optional.of(v.toString());
  }

  /**
   * The string value of {@code key}, or a clear error naming the provider and what is set.
   *
   * @param key the setting's name
   * @return the value's {@code toString()}
   * @throws InvalidSettingException when {@code key} is not set
   */
  public String require(String key) {
    return get(key).orElseThrow(() -> new InvalidSettingException(key,
        "setting '" + key + "' is required by provider '" + provider + "' (given: " + new TreeSet<>(values.keySet()) + ")"));
  }

  /**
   * The string value of {@code key}, or {@code fallback} when it is not set.
   *
   * @param key the setting's name
   * @param fallback the value when it is not set
   * @return the value's {@code toString()}, or {@code fallback}
   */
  public String get(String key, String fallback) {
    return get(key).orElse(fallback);
  }

  /**
   * The value of {@code key} as a whole number (surrounding blanks ignored), or {@code fallback}
   * when it is not set.
   *
   * @param key the setting's name
   * @param fallback the value when it is not set
   * @return the number, or {@code fallback}
   * @throws InvalidSettingException when the value is not a whole number
   */
  public int getInt(String key, int fallback) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.get().trim());
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(key, "setting '" + key + "' of provider '" + provider + "' must be a whole number but was '" + v.get() + "'", e);
    }
  }

  /**
   * "true" or "false" (any case); anything else is an error naming the setting.
   *
   * @param key the setting's name
   * @param fallback the value when it is not set
   * @return the value, or {@code fallback}
   * @throws InvalidSettingException when the value is neither true nor false
   */
  public boolean getBoolean(String key, boolean fallback) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return fallback;
    }
    String s = v.get().trim();
    if (s.equalsIgnoreCase("true")) {
      return true;
    }
    if (s.equalsIgnoreCase("false")) {
      return false;
    }
    throw new InvalidSettingException(key, "setting '" + key + "' of provider '" + provider + "' must be true or false but was '" + s + "'");
  }

  /**
   * A duration as ISO-8601 ("PT30S"), "0", or a number with a unit: "250ms", "30s", "5m", "1h", "7d"
   * (any case).
   *
   * @param key the setting's name
   * @param fallback the value when it is not set
   * @return the duration, or {@code fallback}
   * @throws InvalidSettingException when the value is not a duration in one of these forms
   */
  public Duration getDuration(String key, Duration fallback) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return fallback;
    }
    String s = v.get().trim();
    String t = s.toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t);
      }
      if (t.equals("0")) {
        return Duration.ZERO;
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      switch (t.charAt(t.length() - 1)) {
        case 's': return Duration.ofSeconds(n);
        case 'm': return Duration.ofMinutes(n);
        case 'h': return Duration.ofHours(n);
        case 'd': return Duration.ofDays(n);
        default: break;
      }
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException | ArithmeticException e) {
      // fall through to the error below
    }
    throw new InvalidSettingException(key, "setting '" + key + "' of provider '" + provider
        + "' must be a duration such as 250ms, 30s, 5m or PT1H but was '" + s + "'");
  }

  /**
   * A ready object of {@code type} under {@code key}, if one was given.
   *
   * @param <T> the object's type
   * @param key the setting's name
   * @param type the class the object must be an instance of
   * @return the object, or empty when {@code key} is not set
   * @throws InvalidSettingException when the value is not an instance of {@code type}
   */
  public <T> Optional<T> object(String key, Class<T> type) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!type.isInstance(v)) {
      throw new InvalidSettingException(key, "setting '" + key + "' of provider '" + provider + "' must be a " + type.getName()
          + " but was a " + v.getClass().getName());
    }
    return Optional.of(type.cast(v));
  }

  /**
   * The names of the settings given.
   *
   * @return an immutable set of names
   */
  public Set<String> keys() {
    return values.keySet();
  }
}
