package dev.dlq.alerts;

import dev.dlq.ErrorClass;
import dev.dlq.InvalidSettingException;
import dev.dlq.spi.Alert.Severity;
import dev.dlq.spi.Checks;
import dev.dlq.spi.Settings;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads alert rules from JSON (docs/alerts.md, "The rules file"):
 *
 * <pre>{@code
 * {"rules": [
 *   {"name": "system-errors", "kind": "error-class", "errorClasses": ["SYSTEM_ERROR"], "notify": ["ops"]},
 *   {"name": "user-errors", "kind": "error-class", "errorClasses": ["USER_ERROR"], "ownerHeader": "user-id",
 *    "notify": ["users"], "throttle": "0s"},
 *   {"name": "dead-letter-rate", "kind": "rate", "count": 10, "window": "1m"},
 *   {"name": "unresolved-24h", "kind": "oldest", "olderThan": "24h"},
 *   {"name": "new-failure-group", "kind": "new-group"},
 *   {"name": "replay-died-again", "kind": "reopened"},
 *   {"name": "breaker-open", "kind": "breaker-open"}
 * ]}
 * }</pre>
 *
 * Keys per rule: {@code name, kind} (required); {@code severity} (INFO, WARNING, CRITICAL),
 * {@code notify} (channel names, default ["ops"]), {@code type}, {@code errorType}, {@code throttle}
 * (default 15m); {@code errorClasses} and {@code ownerHeader} for error-class; {@code count} and
 * {@code window} for rate; {@code olderThan} for oldest. Durations are {@code 500ms}, {@code 30s},
 * {@code 15m}, {@code 24h}, {@code 7d} or ISO-8601 ({@code PT15M}). Unknown keys, a key that does not
 * belong to the rule's kind, and duplicate names are errors naming the rule. The file is read whole
 * and must be at most 1 MiB. Stateless and thread-safe.
 */
public final class AlertRules {
  private static final int MAX_BYTES = 1 << 20;
  private static final Set<String> COMMON = Set.of("name", "kind", "severity", "notify", "type", "errorType", "throttle");
  private static final Map<String, Set<String>> EXTRA = Map.of(
      "error-class", Set.of("errorClasses", "ownerHeader"), "new-group", Set.of(), "rate", Set.of("count", "window"),
      "oldest", Set.of("olderThan"), "reopened", Set.of(), "breaker-open", Set.of());

  private AlertRules() {}

  /**
   * Reads the rules file at {@code path}.
   *
   * @param path a JSON rules file
   * @return the rules, in file order
   * @throws IllegalArgumentException when the file is not valid rules, naming the rule and key
   * @throws java.io.UncheckedIOException when the file cannot be read
   */
  public static List<AlertRule> load(Path path) {
    Checks.notNull(path, "path");
    try {
      if (Files.size(path) > MAX_BYTES) {
        throw new IllegalArgumentException("rules file " + path + " is larger than 1 MiB");
      }
      return parse(Files.readString(path));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("could not read rules file " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads rules from JSON text.
   *
   * @param json the rules document
   * @return the rules, in order
   * @throws IllegalArgumentException when the text is not valid rules, naming the rule and key
   */
  public static List<AlertRule> parse(String json) {
    Checks.notNull(json, "json");
    JsonObject root;
    try (JsonReader r = Json.createReader(new StringReader(json))) {
      root = r.readObject();
    } catch (JsonParsingException | ClassCastException | IllegalStateException e) {
      throw new IllegalArgumentException("rules: not a JSON object: " + e.getMessage());
    }
    for (String key : root.keySet()) {
      if (!key.equals("rules")) {
        throw new IllegalArgumentException("rules: unknown key '" + key + "' (expected only 'rules')");
      }
    }
    if (!(root.get("rules") instanceof JsonArray arr)) {
      throw new IllegalArgumentException("rules: 'rules' must be an array");
    }
    List<AlertRule> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < arr.size(); i++) {
      if (!(arr.get(i) instanceof JsonObject o)) {
        throw new IllegalArgumentException("rules[" + i + "]: must be an object");
      }
      String where = "rules[" + i + "]" + (o.get("name") instanceof JsonString n ? " (" + n.getString() + ")" : "");
      try {
        AlertRule rule = rule(o);
        if (!names.add(rule.name())) {
          throw new IllegalArgumentException("duplicate name");
        }
        out.add(rule);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  private static AlertRule rule(JsonObject o) {
    String name = string(o, "name");
    String kind = string(o, "kind");
    Set<String> extra = EXTRA.get(kind);
    if (extra == null) {
      throw new IllegalArgumentException("kind must be one of " + new java.util.TreeSet<>(EXTRA.keySet()) + " but was " + kind);
    }
    for (String key : o.keySet()) {
      if (!COMMON.contains(key) && !extra.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "' for kind " + kind);
      }
    }
    AlertRule r;
    switch (kind) {
      case "error-class": {
        Set<ErrorClass> classes = EnumSet.noneOf(ErrorClass.class);
        for (String c : strings(o, "errorClasses")) {
          classes.add(enumOf(ErrorClass.class, c, "errorClasses"));
        }
        r = AlertRule.errorClass(name, classes.toArray(new ErrorClass[0]));
        if (o.containsKey("ownerHeader")) {
          r = r.withOwnerHeader(string(o, "ownerHeader"));
        }
        break;
      }
      case "new-group": r = AlertRule.newGroup(name); break;
      case "rate": {
        if (!(o.get("count") instanceof jakarta.json.JsonNumber n) || !n.isIntegral() || n.longValue() < 0) {
          throw new IllegalArgumentException("count must be an integer >= 0");
        }
        r = AlertRule.rate(name, n.longValue(), duration(string(o, "window"), "window"));
        break;
      }
      case "oldest": r = AlertRule.oldest(name, duration(string(o, "olderThan"), "olderThan")); break;
      case "reopened": r = AlertRule.reopened(name); break;
      default: r = AlertRule.breakerOpen(name); break;
    }
    if (o.containsKey("severity")) {
      r = r.withSeverity(enumOf(Severity.class, string(o, "severity"), "severity"));
    }
    if (o.containsKey("notify")) {
      r = r.withNotify(strings(o, "notify").toArray(new String[0]));
    }
    if (o.containsKey("type")) {
      r = r.withType(string(o, "type"));
    }
    if (o.containsKey("errorType")) {
      r = r.withErrorType(string(o, "errorType"));
    }
    if (o.containsKey("throttle")) {
      r = r.withThrottle(duration(string(o, "throttle"), "throttle"));
    }
    return r;
  }

  private static String string(JsonObject o, String key) {
    JsonValue v = o.get(key);
    if (!(v instanceof JsonString s) || s.getString().isBlank()) {
      throw new IllegalArgumentException(key + " must be a non-blank string");
    }
    return s.getString();
  }

  private static List<String> strings(JsonObject o, String key) {
    if (!(o.get(key) instanceof JsonArray a) || a.isEmpty()) {
      throw new IllegalArgumentException(key + " must be a non-empty array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonValue v : a) {
      if (!(v instanceof JsonString s) || s.getString().isBlank()) {
        throw new IllegalArgumentException(key + " must be a non-empty array of strings");
      }
      out.add(s.getString());
    }
    return out;
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String v, String key) {
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " must be one of " + java.util.Arrays.toString(type.getEnumConstants())
          + " but was " + v);
    }
  }

  /**
   * Reads {@code 500ms}, {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d}, {@code 0} or ISO-8601.
   *
   * @param text the duration
   * @param key what it is, for the error
   * @return the duration
   * @throws IllegalArgumentException when it is none of those or negative
   */
  public static Duration duration(String text, String key) {
    Checks.notNull(text, key);
    Duration d;
    try {
      d = Settings.of("alert rules", Map.of(key, text)).getDuration(key, Duration.ZERO);
    } catch (InvalidSettingException e) {
      throw new IllegalArgumentException(key + " must be a duration like 30s, 15m, 24h, 7d or PT15M but was " + text);
    }
    return Checks.notNegative(d, key);
  }
}
