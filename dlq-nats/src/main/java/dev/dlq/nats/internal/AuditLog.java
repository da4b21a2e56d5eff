package dev.dlq.nats.internal;

import dev.dlq.AuditEntry;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamState;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Operator actions as JSON messages on the audit stream, newest last. Thread-safe. */
final class AuditLog {
  // the static Json.create* methods look the provider up with ServiceLoader on every call
  private static final jakarta.json.spi.JsonProvider JSON = jakarta.json.spi.JsonProvider.provider();

  private final Connection conn;
  private final String stream;
  private final String subject;

  AuditLog(Connection conn, String stream, String subject) {
    this.conn = conn;
    this.stream = stream;
    this.subject = subject;
  }

  void append(AuditEntry e) {
    byte[] json = JSON.createObjectBuilder()
        .add("at", e.at().toString())
        .add("operator", e.operator())
        .add("action", e.action())
        .add("target", e.target())
        .add("count", e.count())
        .add("detail", e.detail())
        .build().toString().getBytes(StandardCharsets.UTF_8);
    try {
      conn.jetStream().publish(subject, json);
    } catch (IOException | JetStreamApiException e2) {
      throw Nats.failure("write the audit entry " + e.action() + " by " + e.operator() + " to " + stream, e2);
    }
  }

  List<AuditEntry> latest(int limit) {
    StreamState state;
    try {
      StreamInfo info = conn.jetStreamManagement().getStreamInfo(stream);
      state = info.getStreamState();
    } catch (IOException | JetStreamApiException e) {
      throw Nats.failure("read the audit stream " + stream, e);
    }
    long from = Math.max(state.getFirstSequence(), state.getLastSequence() - limit + 1);
    List<AuditEntry> out = new ArrayList<>(limit);
    StreamReader.read(conn, stream, subject, Math.max(from, 1), m -> out.add(parse(m.getData())));
    Collections.reverse(out);
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  private static AuditEntry parse(byte[] json) {
    try (JsonReader r = JSON.createReader(new ByteArrayInputStream(json))) {
      JsonObject o = r.readObject();
      return new AuditEntry(Instant.parse(o.getString("at")), o.getString("operator"), o.getString("action"),
          o.getString("target"), o.getJsonNumber("count").longValue(), o.getString("detail"));
    }
  }
}
