package dev.dlq.nats.internal;

import dev.dlq.InvalidMessageException;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.nats.NatsHeaders;
import dev.dlq.nats.TypeRule;
import io.nats.client.impl.Headers;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message shape of a JetStream work message: payload = the body byte-exact; headers = the NATS
 * headers (several values of one name joined by a newline, which no header value can contain); id =
 * {@code Dlq-Msg-Id} (a replay), else {@code Nats-Msg-Id}, else {@code <stream>:<sequence>}; type =
 * the {@link TypeRule}; source = ("nats", subject); attempt = the delivered count. Thread-safe.
 */
public final class MessageDecoder {
  static final String BACKEND = "nats";
  static final String UNKNOWN_TYPE = "unknown";
  private static final int MAX_CACHED_SUBJECTS = 4096;

  private final TypeRule typeRule;
  private final Map<String, SourceRef> refs = new ConcurrentHashMap<>();

  public MessageDecoder(TypeRule typeRule) {
    this.typeRule = typeRule;
  }

  /** A decoded message, or the raw one under a best-effort id and type with the reason it is invalid. */
  record Decoded(Message message, InvalidMessageException failure) {}

  Decoded decode(String subject, Headers natsHeaders, byte[] body, String stream, long seq, int attempt, Instant firstSeen) {
    Map<String, String> headers = headers(natsHeaders);
    String id = headers.get(NatsHeaders.NATS_MSG_ID);
    if (!headers.isEmpty() && headers.containsKey(NatsHeaders.REPLAY_ID)) {
      // a replay: restore exactly the headers the message had before it died
      String kept = headers.remove(NatsHeaders.MESSAGE_ID);
      headers.remove(NatsHeaders.REPLAY_ID);
      headers.remove(NatsHeaders.NATS_MSG_ID);
      String original = headers.remove(NatsHeaders.ORIGINAL_NATS_MSG_ID);
      if (original != null) {
        headers.put(NatsHeaders.NATS_MSG_ID, original);
      }
      id = kept != null ? kept : original;
    }
    if (id == null || id.isBlank()) {
      id = stream + ":" + seq;
    }
    InvalidMessageException failure = null;
    String type;
    try {
      type = typeRule.typeOf(subject, headers);
    } catch (RuntimeException e) {
      type = null;
      failure = new InvalidMessageException("the type rule failed on subject '" + subject + "': " + e, e);
    }
    if (type == null || type.isBlank()) {
      if (failure == null) {
        failure = new InvalidMessageException("cannot tell the type of the message on subject '" + subject
            + "' (stream " + stream + ", sequence " + seq + "): the type rule found none");
      }
      type = UNKNOWN_TYPE;
    }
    Message m = new Message(id, type, body, headers, ref(subject), Math.max(attempt, 1), firstSeen);
    return new Decoded(m, failure);
  }

  SourceRef ref(String subject) {
    SourceRef r = refs.get(subject);
    if (r == null) {
      r = SourceRef.of(BACKEND, subject);
      if (refs.size() < MAX_CACHED_SUBJECTS) {
        refs.put(subject, r);
      }
    }
    return r;
  }

  /** NATS headers as a mutable map; several values of a name are joined by '\n'. */
  static Map<String, String> headers(Headers h) {
    if (h == null || h.isEmpty()) {
      return new HashMap<>(4);
    }
    Map<String, String> out = new HashMap<>(h.size() * 2);
    for (String key : h.keySet()) {
      List<String> values = h.get(key);
      if (values == null || values.isEmpty()) {
        out.put(key, "");
      } else if (values.size() == 1) {
        out.put(key, values.get(0));
      } else {
        out.put(key, String.join("\n", values));
      }
    }
    return out;
  }

  /** The inverse of {@link #headers(Headers)}. */
  static Headers toNats(Map<String, String> headers, Headers into) {
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String v = e.getValue();
      if (v.indexOf('\n') < 0) {
        into.add(e.getKey(), v);
      } else {
        into.add(e.getKey(), v.split("\n", -1));
      }
    }
    return into;
  }
}
