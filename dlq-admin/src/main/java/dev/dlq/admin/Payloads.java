package dev.dlq.admin;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** A payload as an operator reads it: JSON (pretty), else UTF-8 text, else base64. */
final class Payloads {
  enum Kind { json, text, base64 }

  record Decoded(Kind kind, String text, JsonValue json) {}

  private Payloads() {}

  static Decoded decode(byte[] payload) {
    Optional<String> text = utf8(payload);
    if (text.isEmpty() || unsafe(text.get())) {
      return new Decoded(Kind.base64, Base64.getEncoder().encodeToString(payload), null);
    }
    String t = text.get().strip();
    if (t.startsWith("{") || t.startsWith("[")) {
      try (JsonReader r = Json.createReader(new StringReader(t))) {
        JsonStructure v = r.read();
        String pretty = pretty(v);
        if (!unsafe(pretty)) { // an escaped bidi override, decoded, would print as it is
          return new Decoded(Kind.json, pretty, v);
        }
      } catch (RuntimeException notJson) {
        // text, below
      }
    }
    return new Decoded(Kind.text, text.get(), null);
  }

  /** Whether printing {@code s} could move the cursor, forge a line or hide text (tabs and newlines are fine). */
  private static boolean unsafe(String s) {
    return Text.hasUnsafe(s.replace("\n", "").replace("\r", "").replace("\t", ""));
  }

  static String pretty(JsonValue v) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = Json.createGeneratorFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createGenerator(w)) {
      g.write(v);
    }
    return w.toString().strip();
  }

  private static Optional<String> utf8(byte[] b) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
