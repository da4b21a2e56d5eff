package dev.dlq.nats.internal;

import dev.dlq.DeadLetterStatus;
import dev.dlq.DlqException;
import dev.dlq.Message;
import dev.dlq.StoredDeadLetter;
import dev.dlq.nats.NatsHeaders;
import dev.dlq.spi.ReplayStore;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Replay: each PENDING dead letter is first moved to REPLAYED by compare-and-set (so of two racing
 * replays only one sends), then published to its original subject with its payload and headers
 * byte-exact, its message id in {@code Dlq-Msg-Id} and a {@code Nats-Msg-Id} unique to this replay
 * (a retried publish is dropped by JetStream). The published message is new to the stream, so it gets
 * a fresh attempt budget. If the publish fails the state is put back and the replay stops.
 */
public final class Replays {
  private final JetStreamStore store;

  Replays(JetStreamStore store) {
    this.store = store;
  }

  /**
   * Moves {@code s} from PENDING to REPLAYED by compare-and-set, then publishes it; if the publish
   * fails the state is put back and the failure thrown. {@code m} is the message sent: the stored one,
   * or an edited copy.
   */
  ReplayStore.Outcome replayOne(StoredDeadLetter s, Message m, String replayId, String operator) {
    String id = s.id();
    DlqState absent = DlqState.created(0, s.deadLetter().deadAt(), s.deadLetter().deadAt());
    Optional<DlqState> won = store.transition(id, absent, cur -> cur.status() != DeadLetterStatus.PENDING ? null
        : cur.replayed(replayId, operator, store.now()));
    if (won.isEmpty()) {
      return ReplayStore.Outcome.SKIPPED;
    }
    try {
      send(m, id, replayId, won.get().replayCount());
    } catch (RuntimeException e) {
      store.transition(id, null, cur -> replayId.equals(cur.lastReplayId())
          && cur.status() == DeadLetterStatus.REPLAYED ? undo(cur) : null);
      throw new DlqException("could not send dead letter " + id + " to "
          + s.deadLetter().message().source().destination() + ": " + e.getMessage(), e);
    }
    return ReplayStore.Outcome.SENT;
  }

  private static DlqState undo(DlqState cur) {
    return new DlqState(DeadLetterStatus.PENDING, cur.deathCount(), Math.max(0, cur.replayCount() - 1), null, null,
        cur.updatedAt(), cur.seq(), cur.deadAt(), null);
  }

  private void send(Message m, String deadLetterId, String replayId, int replayNumber) {
    publish(store.jetStream(), m, replayId, "dlq-replay:" + deadLetterId + ":" + replayNumber);
  }

  /**
   * Publishes a replay of {@code m} to its original subject: payload and headers byte-exact, the
   * message id in {@code Dlq-Msg-Id}, an original {@code Nats-Msg-Id} moved to {@code Dlq-Nats-Msg-Id},
   * and {@code natsMsgId} as this publish's de-duplication id.
   */
  public static void publish(io.nats.client.JetStream js, Message m, String replayId, String natsMsgId) {
    Headers h = new Headers();
    Map<String, String> original = m.headers();
    String originalMsgId = original.get(NatsHeaders.NATS_MSG_ID);
    if (originalMsgId == null) {
      MessageDecoder.toNats(original, h);
    } else {
      Map<String, String> copy = new HashMap<>(original);
      copy.remove(NatsHeaders.NATS_MSG_ID);
      MessageDecoder.toNats(copy, h);
      h.put(NatsHeaders.ORIGINAL_NATS_MSG_ID, originalMsgId);
    }
    h.put(NatsHeaders.MESSAGE_ID, m.id());
    h.put(NatsHeaders.REPLAY_ID, replayId);
    String subject = m.source().destination();
    try {
      js.publish(NatsMessage.builder().subject(subject).headers(h).data(m.payload()).build(),
          PublishOptions.builder().messageId(natsMsgId).build());
    } catch (IOException | JetStreamApiException e) {
      throw Nats.failure("publish the replay " + replayId + " of message " + m.id() + " to " + subject, e);
    }
  }
}
