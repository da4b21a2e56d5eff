package dev.dlq.internal.json;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterJson;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.InvalidMessageException;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.StoredDeadLetter;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Parses the dead-letter JSON; every malformation becomes an {@link InvalidMessageException} naming the field. */
public final class DeadLetterReader {
  // Json.createReader looks the provider up with ServiceLoader on every call: look it up once
  private static final jakarta.json.JsonReaderFactory READERS = Json.createReaderFactory(java.util.Map.of());

  private DeadLetterReader() {}

  public static DeadLetter read(byte[] json) {
    return toDeadLetter(parse(json));
  }

  public static StoredDeadLetter readStored(byte[] json) {
    JsonObject o = parse(json);
    try {
      return new StoredDeadLetter(toDeadLetter(o), DeadLetterStatus.valueOf(o.getString("status")),
          o.getInt("deathCount"), o.getInt("replayCount"), opt(o, "lastReplayId"), opt(o, "lastReplayBy"),
          Instant.parse(o.getString("updatedAt")));
    } catch (RuntimeException e) {
      throw invalid(e);
    }
  }

  private static JsonObject parse(byte[] json) {
    if (json == null) {
      throw new InvalidMessageException("dead-letter JSON must not be null");
    }
    try (JsonReader r = READERS.createReader(new ByteArrayInputStream(json))) {
      JsonObject o = r.readObject();
      String format = o.getString("format", "");
      if (!DeadLetterJson.FORMAT.equals(format)) {
        throw new InvalidMessageException("not a dead letter: format must be '" + DeadLetterJson.FORMAT + "' but was '" + format + "'");
      }
      return o;
    } catch (JsonException | IllegalStateException | ClassCastException e) {
      throw new InvalidMessageException("not a dead letter: malformed JSON: " + e.getMessage(), e);
    }
  }

  private static DeadLetter toDeadLetter(JsonObject o) {
    try {
      JsonObject m = o.getJsonObject("message");
      JsonObject src = m.getJsonObject("source");
      Map<String, String> headers = new LinkedHashMap<>();
      for (Map.Entry<String, JsonValue> h : m.getJsonObject("headers").entrySet()) {
        headers.put(h.getKey(), ((JsonString) h.getValue()).getString());
      }
      byte[] payload = Base64.getDecoder().decode(m.getString("payload"));
      Message message = new Message(m.getString("id"), m.getString("type"), payload, headers,
          SourceRef.of(src.getString("backend"), src.getString("destination")), m.getInt("attempt"),
          Instant.parse(m.getString("firstSeen")));
      JsonObject e = o.getJsonObject("error");
      List<Attempt> history = new ArrayList<>();
      for (JsonValue v : o.getJsonArray("history")) {
        JsonObject a = v.asJsonObject();
        history.add(new Attempt(a.getInt("number"), Instant.parse(a.getString("at")),
            ErrorClass.valueOf(a.getString("errorClass")), a.getString("errorType"), a.getString("errorMessage"),
            Duration.parse(a.getString("duration")), a.getString("workerId")));
      }
      return new DeadLetter(o.getString("id"), message, ErrorClass.valueOf(e.getString("class")), e.getString("type"),
          e.getString("message"), e.getString("stackTrace"), o.getInt("attempts"), o.getInt("maxAttempts"),
          Instant.parse(o.getString("firstFailureAt")), Instant.parse(o.getString("lastFailureAt")),
          Instant.parse(o.getString("deadAt")), o.getString("workerId"), DeadLetterReason.valueOf(o.getString("reason")),
          o.getString("fingerprint"), history);
    } catch (InvalidMessageException e) {
      throw e;
    } catch (RuntimeException e) {
      throw invalid(e);
    }
  }

  private static Optional<String> opt(JsonObject o, String key) {
    return o.containsKey(key) ? Optional.of(o.getString(key)) : Optional.empty();
  }

  private static InvalidMessageException invalid(RuntimeException e) {
    return new InvalidMessageException("not a dead letter: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
  }
}
