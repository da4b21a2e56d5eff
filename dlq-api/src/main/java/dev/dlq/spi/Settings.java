package dev.dlq.spi;

import dev.dlq.InvalidSettingException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Configuration handed to a provider: string settings (from a CLI, environment or file) and, where a
 * caller has one, ready objects such as a {@code DataSource} or an SDK client. Immutable.
 *
 * @param provider the provider's name, for error messages
 * @param values the settings
 */
public record Settings(String provider, Map<String, Object> values) {
  public Settings {
    if (provider == null || provider.isBlank()) {
      throw new IllegalArgumentException("provider must not be blank");
    }
    values = Map.copyOf(values);
  }

  public static Settings of(String provider, Map<String, ?> values) {
    return new Settings(provider, Map.copyOf(values));
  }

  /** The string value of {@code key}, if set. */
  public Optional<String> get(String key) {
    Object v = values.get(key);
    return v == null ? Optional.empty() : Optional.of(v.toString());
  }

  /** The string value of {@code key}, or a clear error naming the provider and what is set. */
  public String require(String key) {
    return get(key).orElseThrow(() -> new InvalidSettingException(key,
        "setting '" + key + "' is required by provider '" + provider + "' (given: " + new TreeSet<>(values.keySet()) + ")"));
  }

  public String get(String key, String fallback) {
    return get(key).orElse(fallback);
  }

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

  /** "true" or "false" (any case); anything else is an error naming the setting. */
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

  /** A duration as ISO-8601 ("PT30S") or a number with a unit: "250ms", "30s", "5m", "1h". */
  public Duration getDuration(String key, Duration fallback) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return fallback;
    }
    String s = v.get().trim();
    try {
      if (s.startsWith("P") || s.startsWith("p")) {
        return Duration.parse(s);
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      switch (s.charAt(s.length() - 1)) {
        case 's': return Duration.ofSeconds(n);
        case 'm': return Duration.ofMinutes(n);
        case 'h': return Duration.ofHours(n);
        default: break;
      }
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      // fall through to the error below
    }
    throw new InvalidSettingException(key, "setting '" + key + "' of provider '" + provider
        + "' must be a duration such as 250ms, 30s, 5m or PT1H but was '" + s + "'");
  }

  /** A ready object of {@code type} under {@code key}, if one was given. */
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

  public Set<String> keys() {
    return values.keySet();
  }
}
