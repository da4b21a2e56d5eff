package dev.dlq.admin;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request body read strictly: a JSON object with only the fields an endpoint names, each of the
 * type it must have. Anything else is a 400 that names the field, so that a typo cannot widen a
 * filter and a "true" in quotes cannot turn a dry run into a real one.
 */
final class Body {
  static final int MAX_ID = 512;

  private final JsonObject o;

  private Body(JsonObject o) {
    this.o = o;
  }

  static Body parse(byte[] bytes, Set<String> allowed) {
    if (bytes.length == 0) {
      return new Body(JsonValue.EMPTY_JSON_OBJECT);
    }
    JsonValue v;
    try (JsonReader r = Json.createReader(new StringReader(Http.utf8(bytes, "the body")))) {
      v = r.readValue();
    } catch (JsonException | IllegalStateException e) {
      throw HttpError.badRequest("the body is not valid JSON");
    }
    if (!(v instanceof JsonObject)) {
      throw HttpError.badRequest("the body must be a JSON object but was " + kind(v));
    }
    JsonObject o = (JsonObject) v;
    for (String k : o.keySet()) {
      if (!allowed.contains(k)) {
        throw HttpError.badRequest("unknown field '" + Text.clean(k, 64) + "' (this endpoint takes: "
            + (allowed.isEmpty() ? "nothing" : String.join(", ", new TreeSet<>(allowed))) + ")");
      }
    }
    return new Body(o);
  }

  /** The body as a JSON object whose keys are all in {@code allowed}, for endpoints that read mixed types. */
  static JsonObject raw(byte[] bytes, Set<String> allowed) {
    return parse(bytes, allowed).o;
  }

  boolean has(String name) {
    return o.containsKey(name);
  }

  boolean bool(String name) {
    JsonValue v = o.get(name);
    if (v == null) {
      return false;
    }
    if (v.getValueType() == JsonValue.ValueType.TRUE || v.getValueType() == JsonValue.ValueType.FALSE) {
      return v.getValueType() == JsonValue.ValueType.TRUE;
    }
    throw HttpError.badRequest(name + " must be true or false but was " + kind(v));
  }

  /** A JSON number between {@code min} and {@code max}, or {@code fallback} when absent. */
  double number(String name, double fallback, double min, double max) {
    JsonValue v = o.get(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof jakarta.json.JsonNumber n)) {
      throw HttpError.badRequest(name + " must be a number but was " + kind(v));
    }
    double d = n.doubleValue();
    if (!(d >= min && d <= max)) {
      throw HttpError.badRequest(name + " must be between " + min + " and " + max + " but was " + Text.clean(n.toString(), 40));
    }
    return d;
  }

  String string(String name, String fallback) {
    JsonValue v = o.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw HttpError.badRequest(name + " must be a string but was " + kind(v));
  }

  /** A list of dead-letter ids, each checked by {@link #id}; empty when absent. */
  List<String> ids(String name, int max) {
    JsonValue v = o.get(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray)) {
      throw HttpError.badRequest(name + " must be an array of strings but was " + kind(v));
    }
    JsonArray a = (JsonArray) v;
    if (a.size() > max) {
      throw HttpError.badRequest(name + " may hold at most " + max + " ids but has " + a.size());
    }
    List<String> ids = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      if (!(a.get(i) instanceof JsonString s)) {
        throw HttpError.badRequest(name + "[" + i + "] must be a string but was " + kind(a.get(i)));
      }
      ids.add(id(s.getString()));
    }
    return ids;
  }

  /** An object of string values whose keys are all in {@code keys}. */
  Map<String, String> strings(String name, Set<String> keys) {
    JsonValue v = o.get(name);
    Map<String, String> m = new LinkedHashMap<>();
    if (v == null) {
      return m;
    }
    if (!(v instanceof JsonObject)) {
      throw HttpError.badRequest(name + " must be an object but was " + kind(v));
    }
    ((JsonObject) v).forEach((k, val) -> {
      if (!keys.contains(k)) {
        throw HttpError.badRequest("unknown field '" + name + "." + Text.clean(k, 64) + "' (known: "
            + String.join(", ", new TreeSet<>(keys)) + ")");
      }
      if (!(val instanceof JsonString s)) {
        throw HttpError.badRequest(name + "." + k + " must be a string but was " + kind(val));
      }
      m.put(k, s.getString());
    });
    return m;
  }

  /** A dead-letter id as it came from outside: not blank, bounded, no control characters. */
  static String id(String id) {
    if (id.isBlank() || id.length() > MAX_ID || Text.hasUnsafe(id)) {
      throw HttpError.badRequest("a dead-letter id must be 1 to " + MAX_ID + " printable characters");
    }
    return id;
  }

  private static String kind(JsonValue v) {
    switch (v.getValueType()) {
      case STRING: return "a string";
      case NUMBER: return "a number";
      case TRUE: case FALSE: return "a boolean";
      case NULL: return "null";
      case ARRAY: return "an array";
      default: return "an object";
    }
  }
}
