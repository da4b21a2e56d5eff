package dev.dlq.internal.json;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterJson;
import dev.dlq.Message;
import dev.dlq.StoredDeadLetter;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Map;

/** Streams a dead letter to JSON with one cached generator factory (the hot part of dead-lettering). */
public final class DeadLetterWriter {
  private static final JsonGeneratorFactory FACTORY = Json.createGeneratorFactory(Map.of());

  private DeadLetterWriter() {}

  public static byte[] write(DeadLetter dl, StoredDeadLetter stored) {
    Message m = dl.message();
    ByteArrayOutputStream out = new ByteArrayOutputStream(768 + m.payloadSize() * 4 / 3 + dl.stackTrace().length());
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.write("format", DeadLetterJson.FORMAT);
      g.write("id", dl.id());
      g.writeStartObject("message");
      g.write("id", m.id());
      g.write("type", m.type());
      g.writeStartObject("source");
      g.write("backend", m.source().backend());
      g.write("destination", m.source().destination());
      g.writeEnd();
      g.write("attempt", m.attempt());
      g.write("firstSeen", m.firstSeen().toString());
      g.writeStartObject("headers");
      for (Map.Entry<String, String> h : m.headers().entrySet()) {
        g.write(h.getKey(), h.getValue());
      }
      g.writeEnd();
      g.write("payloadSize", m.payloadSize());
      g.write("payload", Base64.getEncoder().encodeToString(m.payload()));
      g.writeEnd();
      g.writeStartObject("error");
      g.write("class", dl.errorClass().name());
      g.write("type", dl.errorType());
      g.write("message", dl.errorMessage());
      g.write("stackTrace", dl.stackTrace());
      g.writeEnd();
      g.write("reason", dl.reason().name());
      g.write("attempts", dl.attempts());
      g.write("maxAttempts", dl.maxAttempts());
      g.write("firstFailureAt", dl.firstFailureAt().toString());
      g.write("lastFailureAt", dl.lastFailureAt().toString());
      g.write("deadAt", dl.deadAt().toString());
      g.write("workerId", dl.workerId());
      g.write("fingerprint", dl.fingerprint());
      g.writeStartArray("history");
      for (Attempt a : dl.history()) {
        g.writeStartObject();
        g.write("number", a.number());
        g.write("at", a.at().toString());
        g.write("errorClass", a.errorClass().name());
        g.write("errorType", a.errorType());
        g.write("errorMessage", a.errorMessage());
        g.write("duration", a.duration().toString());
        g.write("workerId", a.workerId());
        g.writeEnd();
      }
      g.writeEnd();
      if (stored != null) {
        g.write("status", stored.status().name());
        g.write("deathCount", stored.deathCount());
        g.write("replayCount", stored.replayCount());
        if (stored.lastReplayId().isPresent()) {
          g.write("lastReplayId", stored.lastReplayId().get());
        }
        if (stored.lastReplayBy().isPresent()) {
          g.write("lastReplayBy", stored.lastReplayBy().get());
        }
        g.write("updatedAt", stored.updatedAt().toString());
      }
      g.writeEnd();
    }
    return out.toByteArray();
  }
}
