package dev.dlq.internal.json;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Set;

/** Redacts named fields of a JSON payload at any depth. */
public final class Redactor {
  // the static Json.create* methods look the provider up with ServiceLoader on every call
  private static final jakarta.json.spi.JsonProvider JSON = jakarta.json.spi.JsonProvider.provider();

  private Redactor() {}

  public static byte[] redactJsonFields(byte[] payload, Set<String> fields, String replacement) {
    JsonStructure root;
    try (JsonReader reader = JSON.createReader(new ByteArrayInputStream(payload))) {
      root = reader.read();
    } catch (JsonException | IllegalStateException e) {
      return payload; // not JSON: nothing to redact by field name
    }
    JsonValue redacted = redact(root, fields, JSON.createValue(replacement));
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length);
    try (JsonWriter writer = JSON.createWriter(out)) {
      writer.write(redacted);
    }
    return out.toByteArray();
  }

  private static JsonValue redact(JsonValue value, Set<String> fields, JsonValue replacement) {
    if (value instanceof JsonObject obj) {
      JsonObjectBuilder b = JSON.createObjectBuilder();
      for (Map.Entry<String, JsonValue> e : obj.entrySet()) {
        b.add(e.getKey(), fields.contains(e.getKey()) ? replacement : redact(e.getValue(), fields, replacement));
      }
      return b.build();
    }
    if (value instanceof JsonArray arr) {
      JsonArrayBuilder b = JSON.createArrayBuilder();
      for (JsonValue v : arr) {
        b.add(redact(v, fields, replacement));
      }
      return b.build();
    }
    return value;
  }
}
