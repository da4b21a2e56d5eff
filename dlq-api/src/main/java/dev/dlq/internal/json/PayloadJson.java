package dev.dlq.internal.json;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Payloads read as JSON, for payload-field search and edit diffs; a payload that is not JSON is simply not JSON. */
public final class PayloadJson {
  private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

  private PayloadJson() {}

  /** The payload as a JSON object or array, or empty when it is neither (or not UTF-8 JSON at all). */
  public static Optional<JsonValue> parse(byte[] payload) {
    if (payload.length == 0 || (payload[0] != '{' && payload[0] != '[' && !Character.isWhitespace(payload[0]))) {
      return Optional.empty(); // cheap refusal of the common non-JSON payloads
    }
    try (var r = READERS.createReader(new ByteArrayInputStream(payload))) {
      JsonValue v = r.readValue();
      return v instanceof JsonObject || v instanceof JsonArray ? Optional.of(v) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the value at {@code path} (object keys from the root) equals {@code expected}: a string
   * equal to it, or a number, boolean or null whose JSON text means the same (42 matches 42.0).
   */
  public static boolean fieldEquals(JsonValue root, List<String> path, String expected, boolean literal) {
    JsonValue v = root;
    for (String key : path) {
      if (!(v instanceof JsonObject o) || !o.containsKey(key)) {
        return false;
      }
      v = o.get(key);
    }
    switch (v.getValueType()) {
      case STRING:
        return ((JsonString) v).getString().equals(expected);
      case NUMBER:
        if (!literal) {
          return false;
        }
        try {
          return ((JsonNumber) v).bigDecimalValue().compareTo(new BigDecimal(expected.trim())) == 0;
        } catch (NumberFormatException e) {
          return false;
        }
      case TRUE:
        return literal && expected.equals("true");
      case FALSE:
        return literal && expected.equals("false");
      case NULL:
        return literal && expected.equals("null");
      default:
        return false;
    }
  }

  /** Whether {@code payload} holds the UTF-8 bytes of {@code text}. */
  public static boolean contains(byte[] payload, String text) {
    byte[] t = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + t.length <= payload.length; i++) {
      for (int j = 0; j < t.length; j++) {
        if (payload[i + j] != t[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Every leaf of {@code v} by its path ({@code a.b[2].c}), as JSON text, in document order. */
  public static void flatten(String path, JsonValue v, Map<String, String> out) {
    if (v instanceof JsonObject o && !o.isEmpty()) {
      o.forEach((k, child) -> flatten(path.isEmpty() ? k : path + "." + k, child, out));
    } else if (v instanceof JsonArray a && !a.isEmpty()) {
      for (int i = 0; i < a.size(); i++) {
        flatten(path + "[" + i + "]", a.get(i), out);
      }
    } else {
      out.put(path.isEmpty() ? "$" : path, v.toString());
    }
  }
}
