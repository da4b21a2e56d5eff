package dev.dlq.nats.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.InvalidMessageException;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.nats.NatsHeaders;
import dev.dlq.nats.TypeRule;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The message shapes: dead letters on DLQ subjects, work messages, replays, state entries. */
class CodecTest {
  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  private static DeadLetter deadLetter(String errorMessage) {
    byte[] payload = {0, (byte) 0xff, 10, 13, 'a'};
    Message m = new Message("ORDERS:42", "order.created", payload, Map.of("tenant", "acme", "multi", "a\nb"),
        SourceRef.of("nats", "app.orders.created"), 3, T);
    Attempt a = new Attempt(1, T, ErrorClass.RECOVERABLE, "java.io.IOException", "x", Duration.ofMillis(5), "w");
    return DeadLetter.builder(m).errorClass(ErrorClass.SYSTEM_ERROR).errorType("java.lang.IllegalStateException")
        .errorMessage(errorMessage).stackTrace("trace\n\tat x").attempts(3).maxAttempts(3).deadAt(T).workerId("w-1")
        .reason(DeadLetterReason.EXHAUSTED).fingerprint("fp").history(List.of(a)).build();
  }

  @Test
  void aDeadLetterSurvivesTheTripThroughHeadersAndBody() {
    DeadLetter dl = deadLetter("bad value «é»\r\nsecond line");
    Headers h = DlqCodec.headers(dl, dl.id() + "#2", new Origin("ORDERS", 42), false);
    DeadLetter back = DlqCodec.decode(h, dl.message().payload());
    assertThat(back).isEqualTo(dl);
    assertThat(h.getFirst(NatsHeaders.NATS_MSG_ID)).isEqualTo(dl.id() + "#2");
    assertThat(h.getFirst(NatsHeaders.ERROR_MESSAGE)).isEqualTo("bad value ???  second line");
    assertThat(h.getFirst(NatsHeaders.ORIGINAL_SEQUENCE)).isEqualTo("42");
    assertThat(DlqCodec.id(h)).isEqualTo(dl.id());
  }

  @Test
  void theSlimFormDropsOnlyTraceAndHistory() {
    DeadLetter dl = deadLetter("m");
    DeadLetter back = DlqCodec.decode(DlqCodec.headers(dl, dl.id(), null, true), dl.message().payload());
    assertThat(back.stackTrace()).isEmpty();
    assertThat(back.history()).isEmpty();
    assertThat(back.message()).isEqualTo(dl.message());
    assertThat(back.errorType()).isEqualTo(dl.errorType());
  }

  @Test
  void aMessageWithoutTheDeadLetterHeaderIsInvalid() {
    Headers h = new Headers().put("x", "y");
    assertThatThrownBy(() -> DlqCodec.decode(h, new byte[0])).isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining(NatsHeaders.DEAD_LETTER);
    assertThatThrownBy(() -> DlqCodec.decode(new Headers().put(NatsHeaders.DEAD_LETTER, "%%%"), new byte[0]))
        .isInstanceOf(InvalidMessageException.class);
  }

  @Test
  void workMessageIdTypeAndHeaders() {
    MessageDecoder d = new MessageDecoder(TypeRule.defaults());
    Headers h = new Headers().put("tenant", "acme").add("multi", "a", "b");
    MessageDecoder.Decoded m = d.decode("app.orders.created", h, new byte[] {1}, "ORDERS", 7, 2, T);
    assertThat(m.failure()).isNull();
    assertThat(m.message().id()).isEqualTo("ORDERS:7");
    assertThat(m.message().type()).isEqualTo("created");
    assertThat(m.message().attempt()).isEqualTo(2);
    assertThat(m.message().headers()).isEqualTo(Map.of("tenant", "acme", "multi", "a\nb"));
    Headers back = MessageDecoder.toNats(m.message().headers(), new Headers());
    assertThat(back.get("multi")).containsExactly("a", "b");

    h.put(NatsHeaders.NATS_MSG_ID, "order-1");
    assertThat(d.decode("app.orders.created", h, new byte[0], "ORDERS", 8, 1, T).message().id()).isEqualTo("order-1");
  }

  @Test
  void aReplayedMessageGetsItsIdAndExactHeadersBack() {
    MessageDecoder d = new MessageDecoder(TypeRule.defaults());
    Headers h = new Headers().put("tenant", "acme").put(NatsHeaders.MESSAGE_ID, "order-1")
        .put(NatsHeaders.REPLAY_ID, "r-1").put(NatsHeaders.NATS_MSG_ID, "dlq-replay:x:1")
        .put(NatsHeaders.ORIGINAL_NATS_MSG_ID, "order-1");
    Message m = d.decode("app.orders.created", h, new byte[0], "ORDERS", 9, 1, T).message();
    assertThat(m.id()).isEqualTo("order-1");
    assertThat(m.headers()).isEqualTo(Map.of("tenant", "acme", NatsHeaders.NATS_MSG_ID, "order-1"));

    Headers noOriginal = new Headers().put(NatsHeaders.MESSAGE_ID, "ORDERS:3").put(NatsHeaders.REPLAY_ID, "r-2")
        .put(NatsHeaders.NATS_MSG_ID, "dlq-replay:y:1");
    Message m2 = d.decode("app.orders.created", noOriginal, new byte[0], "ORDERS", 10, 1, T).message();
    assertThat(m2.id()).isEqualTo("ORDERS:3");
    assertThat(m2.headers()).isEmpty();
  }

  @Test
  void aMessageWithoutATypeIsUndecodable() {
    MessageDecoder d = new MessageDecoder(TypeRule.header(NatsHeaders.TYPE));
    MessageDecoder.Decoded m = d.decode("app.x", null, new byte[] {1}, "S", 1, 1, T);
    assertThat(m.failure()).isInstanceOf(InvalidMessageException.class).hasMessageContaining("app.x");
    assertThat(m.message().type()).isEqualTo("unknown");
  }

  @Test
  void stateEntriesRoundTripAndNameEachDeath() {
    DlqState s = new DlqState(DeadLetterStatus.REPLAYED, 2, 1, "r-1", "alice", T, 17, T.minusSeconds(5), null);
    assertThat(DlqState.fromJson(s.toJson())).isEqualTo(s);
    DlqState handedOver = s.reopened(18, T, T).handedOver("dlq-monitor", T);
    assertThat(DlqState.fromJson(handedOver.toJson())).isEqualTo(handedOver);
    assertThat(handedOver.status()).isEqualTo(DeadLetterStatus.RESOLVED);
    assertThat(handedOver.handedOverBy("dlq-monitor", 18)).isTrue();
    assertThat(handedOver.handedOverBy("dlq-monitor", 17)).as("another death").isFalse();
    assertThat(handedOver.handedOverBy("other-monitor", 18)).as("another monitor").isFalse();
    assertThat(handedOver.reopened(19, T, T).handedOverBy()).as("a later death clears it").isNull();
    assertThat(handedOver.withStatus(DeadLetterStatus.DISCARDED, T).handedOverBy()).isNull();
    DlqState created = DlqState.created(3, T, T);
    assertThat(DlqState.fromJson(created.toJson())).isEqualTo(created);
    assertThat(DlqState.msgId("id", 1)).isEqualTo("id");
    assertThat(DlqState.msgId("id", 3)).isEqualTo("id#3");
  }

  @Test
  void namesAndSubjects() {
    assertThat(Nats.subjectTokens("order created")).isEqualTo("order_created");
    assertThat(Nats.subjectTokens("a..b.")).isEqualTo("a.b");
    assertThat(Nats.subjectTokens("*>")).isEqualTo("__");
    assertThat(Nats.subjectTokens("")).isEqualTo("_");
    assertThat(Nats.dlqStreamFor("sahool.app")).isEqualTo("SAHOOL_APP_DLQ");
    assertThat(Nats.ascii("ok", 10)).isEqualTo("ok");
    assertThat(Nats.ascii("abcdef", 3)).isEqualTo("abc");
  }
}
