package dev.dlq.admin;

import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses filter parameters shared by the CLI and the HTTP API; every bad value is an
 * {@link IllegalArgumentException} that names the parameter, what it accepts and what it got.
 */
final class Filters {
  static final Set<String> KEYS = Set.of("type", "errorClass", "errorType", "status", "source", "fingerprint", "reason",
      "since", "until", "payloadField", "payloadContains");

  private Filters() {}

  static DeadLetterFilter parse(Map<String, String> params) {
    DeadLetterFilter.Builder b = DeadLetterFilter.builder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      String v = e.getValue();
      switch (e.getKey()) {
        case "type": b.type(nonBlank("type", v)); break;
        case "errorClass": b.errorClass(enumValue("errorClass", ErrorClass.class, v)); break;
        case "errorType": b.errorType(nonBlank("errorType", v)); break;
        case "status": b.status(enumValue("status", DeadLetterStatus.class, v)); break;
        case "source": b.source(nonBlank("source", v)); break;
        case "fingerprint": b.fingerprint(nonBlank("fingerprint", v)); break;
        case "reason": b.reason(enumValue("reason", DeadLetterReason.class, v)); break;
        case "since": b.deadFrom(instant("since", v)); break;
        case "until": b.deadBefore(instant("until", v)); break;
        case "payloadField": payloadField(b, "payloadField", v); break;
        case "payloadContains": b.payloadContains(bounded("payloadContains", v, 1000)); break;
        default: break;
      }
    }
    return b.build();
  }

  /** {@code PATH=VALUE}, such as {@code customer.id=42}; the error names {@code name}. */
  static void payloadField(DeadLetterFilter.Builder b, String name, String v) {
    try {
      dev.dlq.PayloadField f = dev.dlq.PayloadField.parse(bounded(name, v, 2000));
      b.payloadField(f.dottedPath(), f.value());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " must be PATH=VALUE such as customer.id=42 (keys separated by dots)"
          + " but was '" + Text.clean(v, 80) + "'");
    }
  }

  static String bounded(String name, String v, int max) {
    if (v == null || v.isEmpty() || v.length() > max) {
      throw new IllegalArgumentException(name + " must be 1 to " + max + " characters");
    }
    return v;
  }

  static String nonBlank(String name, String v) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return v;
  }

  static <E extends Enum<E>> E enumValue(String name, Class<E> type, String v) {
    try {
      return Enum.valueOf(type, nonBlank(name, v).trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " must be one of " + Arrays.toString(type.getEnumConstants())
          + " but was '" + v + "'");
    }
  }

  /** An ISO-8601 instant, or an age such as 15m, 2h, 7d meaning that long ago. */
  static Instant instant(String name, String v) {
    String s = nonBlank(name, v).trim();
    try {
      Instant t = Instant.parse(s);
      if (t.isBefore(Instant.parse("0001-01-01T00:00:00Z")) || t.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
        throw new IllegalArgumentException(name + " must be a time from year 1 to 9999 but was '" + Text.clean(v, 40)
            + "'");
      }
      return t;
    } catch (DateTimeParseException e) {
      try {
        return Instant.now().minus(age(name, s));
      } catch (IllegalArgumentException e2) {
        if (e2.getMessage().contains("at most")) {
          throw e2;
        }
        throw new IllegalArgumentException(name + " must be an ISO-8601 time such as 2026-01-31T00:00:00Z or an age"
            + " such as 15m, 2h, 7d but was '" + Text.clean(v, 40) + "'");
      }
    }
  }

  /** The longest age accepted: about a hundred years, so that "now minus the age" is always a time. */
  static final Duration MAX_AGE = Duration.ofDays(36_500);

  /** An age: a whole number followed by s, m, h or d, at most {@link #MAX_AGE}. */
  static Duration age(String name, String v) {
    String s = nonBlank(name, v).trim();
    long n = -1;
    long unit = 0;
    if (s.length() >= 2 && s.length() <= 20) {
      try {
        n = Long.parseLong(s.substring(0, s.length() - 1));
      } catch (NumberFormatException e) {
        // reported below
      }
      unit = "smhd".indexOf(s.charAt(s.length() - 1)) < 0 ? 0
          : new long[] {1, 60, 3600, 86_400}["smhd".indexOf(s.charAt(s.length() - 1))];
    }
    if (n < 0 || unit == 0) {
      throw new IllegalArgumentException(name + " must be an age such as 90s, 15m, 2h or 30d but was '"
          + Text.clean(v, 40) + "'");
    }
    if (n > MAX_AGE.toSeconds() / unit) {
      throw new IllegalArgumentException(name + " must be at most " + MAX_AGE.toDays() + "d but was '"
          + Text.clean(v, 40) + "'");
    }
    return Duration.ofSeconds(n * unit);
  }

  static int intIn(String name, String v, int min, int max) {
    try {
      int n = Integer.parseInt(nonBlank(name, v).trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + " but was '" + v + "'");
  }

  static double rate(String v) {
    try {
      double d = Double.parseDouble(nonBlank("rate", v).trim());
      if (d > 0 && d <= 100_000) {
        return d;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("rate must be a number of messages per second in (0, 100000] but was '" + v + "'");
  }
}
