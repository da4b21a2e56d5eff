package dev.dlq.postgres.internal;

import dev.dlq.Attempt;
import dev.dlq.ErrorClass;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The jsonb columns: headers (a string map) and attempt histories (an array of objects). */
final class Json {
  // jakarta.json.Json.createReader looks the provider up with ServiceLoader on every call: once is enough
  private static final jakarta.json.JsonReaderFactory READERS = jakarta.json.Json.createReaderFactory(java.util.Map.of());

  private Json() {}

  /** {@code headers} as a JSON object; written by hand because it is on the enqueue path. */
  static String headers(Map<String, String> headers) {
    if (headers.isEmpty()) {
      return "{}";
    }
    StringBuilder sb = new StringBuilder(32 * headers.size()).append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(sb, e.getKey()).append(':');
      string(sb, e.getValue());
    }
    return sb.append('}').toString();
  }

  /**
   * Parses a headers column.
   *
   * @throws IllegalArgumentException when it is not an object of strings (a row written by hand)
   */
  static Map<String, String> parseHeaders(String json) {
    if (json == null || json.equals("{}")) {
      return Map.of();
    }
    JsonObject o = read(json).asJsonObject();
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> e : o.entrySet()) {
      if (!(e.getValue() instanceof JsonString s)) {
        throw new IllegalArgumentException("header '" + e.getKey() + "' is not a string but " + e.getValue().getValueType());
      }
      out.put(e.getKey(), s.getString());
    }
    return out;
  }

  /** One attempt as a JSON object: a row of {@code task_attempts}. */
  static String attempt(Attempt a) {
    StringBuilder sb = new StringBuilder(256);
    attempt(sb, a);
    return sb.toString();
  }

  static String attempts(List<Attempt> list) {
    StringBuilder sb = new StringBuilder(64 + 200 * list.size()).append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      attempt(sb, list.get(i));
    }
    return sb.append(']').toString();
  }

  private static void attempt(StringBuilder sb, Attempt a) {
    sb.append("{\"number\":").append(a.number()).append(",\"at\":");
    string(sb, a.at().toString()).append(",\"errorClass\":");
    string(sb, a.errorClass().name()).append(",\"errorType\":");
    string(sb, a.errorType()).append(",\"errorMessage\":");
    string(sb, a.errorMessage()).append(",\"durationMillis\":").append(a.duration().toMillis()).append(",\"workerId\":");
    string(sb, a.workerId()).append('}');
  }

  /** Parses a history column; null or empty gives an empty list. */
  static List<Attempt> parseAttempts(String json) {
    if (json == null || json.equals("[]")) {
      return List.of();
    }
    JsonArray arr = read(json).asJsonArray();
    List<Attempt> out = new ArrayList<>(arr.size());
    for (JsonValue v : arr) {
      out.add(attempt(v.asJsonObject()));
    }
    return Collections.unmodifiableList(out);
  }

  /** Parses one attempt object, as {@link #attempt(Attempt)} writes it. */
  static Attempt parseAttempt(String json) {
    return attempt(read(json).asJsonObject());
  }

  private static Attempt attempt(JsonObject o) {
    return new Attempt(o.getInt("number"), Instant.parse(o.getString("at")),
        ErrorClass.valueOf(o.getString("errorClass")), o.getString("errorType", ""), o.getString("errorMessage", ""),
        Duration.ofMillis(o.getJsonNumber("durationMillis").longValue()), o.getString("workerId", ""));
  }

  private static JsonValue read(String json) {
    try (JsonReader r = READERS.createReader(new StringReader(json))) {
      return r.readValue();
    }
  }

  private static StringBuilder string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c == 0) {
            sb.append('\ufffd'); // PostgreSQL text and jsonb cannot hold NUL
          } else if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    return sb.append('"');
  }
}
