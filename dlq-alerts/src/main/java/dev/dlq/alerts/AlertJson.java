package dev.dlq.alerts;

import dev.dlq.spi.Alert;
import dev.dlq.spi.Checks;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON form of an {@link Alert}: the body of webhook calls and the payload of alert tasks on the
 * alert queue. Fields: {@code id, rule, severity, group, recipient?, title, counts{}, sample?{},
 * consoleUrl?, replayCommand?, at} (ISO-8601 times; absent optionals are omitted). Stateless and
 * thread-safe.
 */
public final class AlertJson {
  private AlertJson() {}

  /**
   * The alert as compact JSON.
   *
   * @param alert the alert
   * @return its JSON text
   * @throws IllegalArgumentException when {@code alert} is null
   */
  public static String write(Alert alert) {
    return toJson(Checks.notNull(alert, "alert")).toString();
  }

  /**
   * The alert as a JSON object.
   *
   * @param a the alert
   * @return its JSON object
   */
  public static JsonObject toJson(Alert a) {
    JsonObjectBuilder o = Json.createObjectBuilder()
        .add("id", a.id()).add("rule", a.rule()).add("severity", a.severity().name()).add("group", a.group());
    a.recipient().ifPresent(r -> o.add("recipient", r));
    o.add("title", a.title());
    JsonObjectBuilder counts = Json.createObjectBuilder();
    a.counts().forEach(counts::add);
    o.add("counts", counts);
    a.sample().ifPresent(s -> {
      JsonObjectBuilder h = Json.createObjectBuilder();
      s.headers().forEach(h::add);
      o.add("sample", Json.createObjectBuilder().add("deadLetterId", s.deadLetterId()).add("messageType", s.messageType())
          .add("source", s.source()).add("errorClass", s.errorClass()).add("errorType", s.errorType())
          .add("errorMessage", s.errorMessage()).add("headers", h).add("payloadPreview", s.payloadPreview())
          .add("fingerprint", s.fingerprint()).add("deadAt", s.deadAt().toString()));
    });
    a.consoleUrl().ifPresent(u -> o.add("consoleUrl", u));
    a.replayCommand().ifPresent(c -> o.add("replayCommand", c));
    o.add("at", a.at().toString());
    return o.build();
  }

  /**
   * Reads what {@link #write} wrote.
   *
   * @param json the JSON text
   * @return the alert
   * @throws IllegalArgumentException when the text is not an alert
   */
  public static Alert read(String json) {
    Checks.notNull(json, "json");
    try (JsonReader r = Json.createReader(new StringReader(json))) {
      JsonObject o = r.readObject();
      Map<String, Long> counts = new LinkedHashMap<>();
      o.getJsonObject("counts").forEach((k, v) -> counts.put(k, ((jakarta.json.JsonNumber) v).longValue()));
      Optional<Alert.Sample> sample = Optional.empty();
      if (o.containsKey("sample")) {
        JsonObject s = o.getJsonObject("sample");
        Map<String, String> headers = new LinkedHashMap<>();
        s.getJsonObject("headers").forEach((k, v) -> headers.put(k, ((jakarta.json.JsonString) v).getString()));
        sample = Optional.of(new Alert.Sample(s.getString("deadLetterId"), s.getString("messageType"),
            s.getString("source"), s.getString("errorClass"), s.getString("errorType"), s.getString("errorMessage"),
            headers, s.getString("payloadPreview"), s.getString("fingerprint"), Instant.parse(s.getString("deadAt"))));
      }
      return new Alert(o.getString("id"), o.getString("rule"), Alert.Severity.valueOf(o.getString("severity")),
          o.getString("group"), opt(o, "recipient"), o.getString("title"), counts, sample, opt(o, "consoleUrl"),
          opt(o, "replayCommand"), Instant.parse(o.getString("at")));
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw e;
      }
      throw new IllegalArgumentException("not an alert: " + e.getMessage(), e);
    }
  }

  private static Optional<String> opt(JsonObject o, String key) {
    JsonValue v = o.get(key);
    return v == null || v.getValueType() == JsonValue.ValueType.NULL ? Optional.empty() : Optional.of(o.getString(key));
  }
}
