package dev.dlq.admin;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.Message;
import dev.dlq.StoredDeadLetter;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.io.PrintStream;
import java.util.TreeMap;

/** {@code dlq dead-letters show}: one dead letter (already redacted) for a person or as JSON, its payload decoded. */
final class DetailView {
  private DetailView() {}

  static void print(StoredDeadLetter s, PrintStream out) {
    DeadLetter dl = s.deadLetter();
    Message m = dl.message();
    Table t = new Table("FIELD", "VALUE");
    t.row("id", s.id()).row("message id", m.id()).row("type", m.type()).row("source", m.source())
        .row("status", s.status()).row("reason", dl.reason()).row("error class", dl.errorClass())
        .row("error", dl.errorType() + ": " + dl.errorMessage())
        .row("attempts", dl.attempts() + " of " + dl.maxAttempts()).row("deaths", s.deathCount())
        .row("replays", s.replayCount() + (s.lastReplayId().isEmpty() ? ""
            : " (last " + s.lastReplayId().get() + " by " + s.lastReplayBy().orElse("?") + ")"))
        .row("fingerprint", dl.fingerprint()).row("first failure", dl.firstFailureAt()).row("dead at", dl.deadAt())
        .row("worker", dl.workerId()).row("updated", s.updatedAt());
    t.print(out, Table.Output.table);
    out.println();
    out.println("headers:" + (m.headers().isEmpty() ? " none" : ""));
    new TreeMap<>(m.headers()).forEach((k, v) -> out.println("  " + Text.clean(k, 200) + ": " + Text.clean(v, 2000)));
    if (!dl.history().isEmpty()) {
      out.println();
      Table h = new Table("ATTEMPT", "AT", "ERROR CLASS", "ERROR");
      for (Attempt a : dl.history()) {
        h.row(a.number(), a.at(), a.errorClass(), dev.dlq.DeadLetterFormat.cut(a.errorType() + ": " + a.errorMessage(), 100));
      }
      h.print(out, Table.Output.table);
    }
    Payloads.Decoded p = Payloads.decode(m.payload());
    out.println();
    out.println("payload (" + p.kind() + ", " + m.payload().length + " bytes):");
    out.println(p.text());
  }

  static JsonObjectBuilder json(StoredDeadLetter s) {
    DeadLetter dl = s.deadLetter();
    Message m = dl.message();
    JsonObjectBuilder headers = Json.createObjectBuilder();
    new TreeMap<>(m.headers()).forEach(headers::add);
    JsonObjectBuilder b = Json.createObjectBuilder()
        .add("id", s.id()).add("messageId", m.id()).add("type", m.type()).add("source", m.source().toString())
        .add("status", s.status().name()).add("reason", dl.reason().name()).add("errorClass", dl.errorClass().name())
        .add("errorType", dl.errorType()).add("errorMessage", dl.errorMessage()).add("attempts", dl.attempts())
        .add("maxAttempts", dl.maxAttempts()).add("deathCount", s.deathCount()).add("replayCount", s.replayCount())
        .add("fingerprint", dl.fingerprint()).add("deadAt", dl.deadAt().toString()).add("workerId", dl.workerId())
        .add("headers", headers);
    s.lastReplayId().ifPresent(r -> b.add("lastReplayId", r));
    s.lastReplayBy().ifPresent(r -> b.add("lastReplayBy", r));
    Payloads.Decoded p = Payloads.decode(m.payload());
    b.add("payloadEncoding", p.kind().name());
    if (p.json() != null) {
      b.add("payload", p.json());
    } else {
      b.add("payload", p.text());
    }
    return b;
  }
}
