package dev.dlq;

import static dev.dlq.spi.Checks.notNull;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A payload-field criterion of a {@link DeadLetterFilter}: the JSON payload has {@code value} at
 * {@code path} (object keys from the root). The value matches a JSON string equal to it, and, when it
 * is a JSON literal ({@code 42}, {@code -1.5e3}, {@code true}, {@code false}, {@code null}), also the
 * number, boolean or null it spells ({@code 42} matches {@code 42} and {@code 42.0}). A payload that is
 * not a JSON object never matches. Immutable and thread-safe.
 *
 * @param path object keys from the root, 1 to {@value #MAX_DEPTH} of them, none blank
 * @param value the value to match
 */
public record PayloadField(List<String> path, String value) {
  /** The deepest path accepted. */
  public static final int MAX_DEPTH = 16;
  private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  /**
   * Checks and copies the path.
   *
   * @param path object keys from the root
   * @param value the value to match
   * @throws IllegalArgumentException when {@code path} is empty, too deep or holds a blank key, or an
   *     argument is null
   */
  public PayloadField {
    path = List.copyOf(notNull(path, "path"));
    notNull(value, "value");
    if (path.isEmpty() || path.size() > MAX_DEPTH) {
      throw new IllegalArgumentException("a payload path must have 1 to " + MAX_DEPTH + " keys but had " + path.size());
    }
    for (String k : path) {
      if (k.isBlank() || k.length() > 256) {
        throw new IllegalArgumentException("a payload path key must be 1 to 256 characters, not blank, but was '" + k + "'");
      }
    }
  }

  /**
   * The criterion {@code dottedPath = value}, such as {@code of("customer.id", "42")}.
   *
   * @param dottedPath object keys separated by dots
   * @param value the value to match
   * @return the criterion
   * @throws IllegalArgumentException when the path is empty, too deep or has an empty key
   */
  public static PayloadField of(String dottedPath, String value) {
    notNull(dottedPath, "path");
    return new PayloadField(List.of(dottedPath.split("\\.", -1)), value);
  }

  /**
   * Parses {@code path=value}, such as {@code customer.id=42} (the first {@code =} splits).
   *
   * @param spec the criterion as text
   * @return the criterion
   * @throws IllegalArgumentException when there is no {@code =} or the path is malformed
   */
  public static PayloadField parse(String spec) {
    int eq = notNull(spec, "spec").indexOf('=');
    if (eq < 1) {
      throw new IllegalArgumentException("a payload field must be PATH=VALUE, such as customer.id=42, but was '" + spec + "'");
    }
    return of(spec.substring(0, eq), spec.substring(eq + 1));
  }

  /**
   * The value as a JSON literal when it is one (a number, {@code true}, {@code false} or {@code null}),
   * matched besides the string.
   *
   * @return the literal, or empty when the value only matches as a string
   */
  public Optional<String> literal() {
    return NUMBER.matcher(value).matches() || value.equals("true") || value.equals("false") || value.equals("null")
        ? Optional.of(value) : Optional.empty();
  }

  /**
   * Whether {@code payload} matches (used by in-memory and stream stores).
   *
   * @param payload a message payload
   * @return true when it is JSON holding the value at the path
   */
  public boolean matches(byte[] payload) {
    return dev.dlq.internal.json.PayloadJson.parse(payload)
        .filter(v -> dev.dlq.internal.json.PayloadJson.fieldEquals(v, path, value, literal().isPresent()))
        .isPresent();
  }

  /**
   * The path with dots.
   *
   * @return such as {@code customer.id}
   */
  public String dottedPath() {
    return String.join(".", path);
  }

  @Override
  public String toString() {
    return dottedPath() + "=" + value;
  }
}
