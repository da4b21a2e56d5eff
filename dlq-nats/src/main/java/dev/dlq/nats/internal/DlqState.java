package dev.dlq.nats.internal;

import dev.dlq.DeadLetterStatus;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The workflow state of one dead letter, kept in the KV bucket under its id: the transitions
 * (record, reopen, replay, resolve, discard) are compare-and-set updates of this entry.
 *
 * @param status the status
 * @param deathCount deaths so far; the DLQ message of death n has the {@code Nats-Msg-Id} {@code id} (n = 1) or {@code id#n}
 * @param replayCount replays so far
 * @param lastReplayId the last replay's id, or null
 * @param lastReplayBy the last replay's operator, or null
 * @param updatedAt when this entry last changed
 * @param seq the DLQ stream sequence of the latest death
 * @param deadAt when the latest death happened
 * @param handedOverBy the DLQ monitor (its durable consumer) that copied the latest death into its sink
 *     and so RESOLVED it here, or null; any later transition clears it
 */
record DlqState(DeadLetterStatus status, int deathCount, int replayCount, String lastReplayId, String lastReplayBy,
    Instant updatedAt, long seq, Instant deadAt, String handedOverBy) {
  // the static Json.create* methods look the provider up with ServiceLoader on every call
  private static final jakarta.json.spi.JsonProvider JSON = jakarta.json.spi.JsonProvider.provider();


  static DlqState created(long seq, Instant deadAt, Instant now) {
    return new DlqState(DeadLetterStatus.PENDING, 1, 0, null, null, now, seq, deadAt, null);
  }

  DlqState reopened(long newSeq, Instant newDeadAt, Instant now) {
    return new DlqState(DeadLetterStatus.PENDING, deathCount + 1, replayCount, lastReplayId, lastReplayBy, now, newSeq,
        newDeadAt, null);
  }

  DlqState replayed(String replayId, String operator, Instant now) {
    return new DlqState(DeadLetterStatus.REPLAYED, deathCount, replayCount + 1, replayId, operator, now, seq, deadAt,
        null);
  }

  DlqState withStatus(DeadLetterStatus to, Instant now) {
    return new DlqState(to, deathCount, replayCount, lastReplayId, lastReplayBy, now, seq, deadAt, null);
  }

  /** RESOLVED because the monitor {@code consumer} copied this death into its sink, the system of record from now on. */
  DlqState handedOver(String consumer, Instant now) {
    return new DlqState(DeadLetterStatus.RESOLVED, deathCount, replayCount, lastReplayId, lastReplayBy, now, seq, deadAt,
        consumer);
  }

  /** Whether monitor {@code consumer} already handed over the death at DLQ sequence {@code dlqSeq}. */
  boolean handedOverBy(String consumer, long dlqSeq) {
    return status == DeadLetterStatus.RESOLVED && consumer.equals(handedOverBy) && seq == dlqSeq;
  }

  /** The {@code Nats-Msg-Id} of death number {@code n}. */
  static String msgId(String id, int death) {
    return death <= 1 ? id : id + "#" + death;
  }

  Optional<String> replayId() {
    return Optional.ofNullable(lastReplayId);
  }

  Optional<String> replayBy() {
    return Optional.ofNullable(lastReplayBy);
  }

  byte[] toJson() {
    JsonObjectBuilder b = JSON.createObjectBuilder()
        .add("status", status.name())
        .add("deathCount", deathCount)
        .add("replayCount", replayCount)
        .add("updatedAt", updatedAt.toString())
        .add("seq", seq)
        .add("deadAt", deadAt.toString());
    if (lastReplayId != null) {
      b.add("lastReplayId", lastReplayId);
    }
    if (lastReplayBy != null) {
      b.add("lastReplayBy", lastReplayBy);
    }
    if (handedOverBy != null) {
      b.add("handedOverBy", handedOverBy);
    }
    return b.build().toString().getBytes(StandardCharsets.UTF_8);
  }

  static DlqState fromJson(byte[] json) {
    try (JsonReader r = JSON.createReader(new ByteArrayInputStream(json))) {
      JsonObject o = r.readObject();
      return new DlqState(DeadLetterStatus.valueOf(o.getString("status")), o.getInt("deathCount"), o.getInt("replayCount"),
          o.getString("lastReplayId", null), o.getString("lastReplayBy", null), Instant.parse(o.getString("updatedAt")),
          o.getJsonNumber("seq").longValue(), Instant.parse(o.getString("deadAt")), o.getString("handedOverBy", null));
    }
  }
}
