package dev.dlq.admin;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.DeadLetterJson;
import dev.dlq.DeadLetterStats;
import dev.dlq.Message;
import dev.dlq.StoredDeadLetter;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** What operators see: summaries, full records, stats; redaction applied to every view and export. */
final class Views {
  private final DeadLetterFormat redaction;

  Views(DeadLetterFormat redaction) {
    this.redaction = redaction;
  }

  StoredDeadLetter redact(StoredDeadLetter s) {
    DeadLetter dl = redaction.apply(s.deadLetter());
    return dl == s.deadLetter() ? s : new StoredDeadLetter(dl, s.status(), s.deathCount(), s.replayCount(),
        s.lastReplayId(), s.lastReplayBy(), s.updatedAt());
  }

  JsonObjectBuilder summary(StoredDeadLetter raw) {
    StoredDeadLetter s = redact(raw);
    DeadLetter dl = s.deadLetter();
    Message m = dl.message();
    return Json.createObjectBuilder()
        .add("id", s.id())
        .add("messageId", m.id())
        .add("type", m.type())
        .add("source", m.source().toString())
        .add("status", s.status().name())
        .add("reason", dl.reason().name())
        .add("errorClass", dl.errorClass().name())
        .add("errorType", dl.errorType())
        .add("errorMessage", DeadLetterFormat.cut(dl.errorMessage(), 200))
        .add("attempts", dl.attempts())
        .add("deathCount", s.deathCount())
        .add("replayCount", s.replayCount())
        .add("replayFate", s.replayFate().name())
        .add("lastReplayId", s.lastReplayId().orElse(""))
        .add("fingerprint", dl.fingerprint())
        .add("deadAt", dl.deadAt().toString());
  }

  String full(StoredDeadLetter s) {
    return new String(DeadLetterJson.toJson(redact(s)), StandardCharsets.UTF_8);
  }

  static JsonObjectBuilder stats(DeadLetterStats st) {
    JsonObjectBuilder b = Json.createObjectBuilder().add("total", st.total());
    b.add("byType", counts(st.byType()));
    b.add("byErrorClass", counts(st.byErrorClass()));
    b.add("byErrorType", counts(st.byErrorType()));
    b.add("byFingerprint", counts(st.byFingerprint()));
    b.add("byStatus", counts(st.byStatus()));
    b.add("byHour", counts(st.byHour()));
    return b;
  }

  private static JsonObjectBuilder counts(Map<?, Long> m) {
    JsonObjectBuilder b = Json.createObjectBuilder();
    new TreeMap<String, Long>(toStrings(m)).forEach(b::add);
    return b;
  }

  private static Map<String, Long> toStrings(Map<?, Long> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  /** One CSV line (RFC 4180 quoting) for an export. */
  String csv(StoredDeadLetter raw) {
    StoredDeadLetter s = redact(raw);
    DeadLetter dl = s.deadLetter();
    Message m = dl.message();
    return String.join(",", q(s.id()), q(m.id()), q(m.type()), q(m.source().toString()), q(s.status().name()),
        q(dl.reason().name()), q(dl.errorClass().name()), q(dl.errorType()), q(dl.errorMessage()),
        String.valueOf(dl.attempts()), String.valueOf(s.deathCount()), String.valueOf(s.replayCount()),
        q(dl.fingerprint()), q(dl.deadAt().toString()),
        q(java.util.Base64.getEncoder().encodeToString(m.payload())));
  }

  static final String CSV_HEADER = "id,messageId,type,source,status,reason,errorClass,errorType,errorMessage,"
      + "attempts,deathCount,replayCount,fingerprint,deadAt,payloadBase64";

  private static String q(String v) {
    return "\"" + v.replace("\"", "\"\"") + "\"";
  }

  /** A failure group as JSON: fingerprint, counts, first and last seen, sorted types, error type, a cut sample error. */
  static JsonObjectBuilder group(dev.dlq.FailureGroup fg) {
    JsonArrayBuilder types = Json.createArrayBuilder();
    fg.types().stream().sorted().forEach(types::add);
    return Json.createObjectBuilder().add("fingerprint", fg.fingerprint()).add("count", fg.count())
        .add("pending", fg.pending()).add("firstSeen", fg.firstSeen().toString())
        .add("firstSeenHour", fg.firstSeen().truncatedTo(java.time.temporal.ChronoUnit.HOURS).toString())
        .add("lastSeen", fg.lastSeen().toString()).add("types", types).add("errorType", fg.errorType())
        .add("sampleError", dev.dlq.DeadLetterFormat.cut(fg.sampleError(), 200)).add("sampleId", fg.sampleId());
  }
}
