package dev.dlq.sqs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.InvalidMessageException;
import dev.dlq.SourceRef;
import dev.dlq.sqs.SqsEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

class EnvelopeTest {
  private static final SourceRef SRC = SourceRef.of("sqs", "http://h/1/q");
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

  /** What SQS would hand back for {@code sent}, received for the {@code count}th time. */
  private static Message received(SendMessageRequest sent, int count) {
    return Message.builder().messageId("sqs-id").receiptHandle("rh").body(sent.messageBody())
        .messageAttributes(sent.messageAttributes())
        .attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, Integer.toString(count),
            MessageSystemAttributeName.SENT_TIMESTAMP, "1700000000000"))
        .build();
  }

  private static Envelope.Decoded roundTrip(byte[] payload, Map<String, String> headers) {
    return Envelope.decode(received(Envelope.request("q", "id-1", "order", payload, headers).build(), 1), SRC, "dflt", NOW);
  }

  @Test
  void textTravelsAsItselfWithoutAnEncoding() {
    SendMessageRequest r = Envelope.request("q", "id-1", "order", "h\u00e9llo \uD83D\uDE00\n".getBytes(StandardCharsets.UTF_8),
        Map.of("tenant", "acme")).build();
    assertThat(r.messageBody()).isEqualTo("h\u00e9llo \uD83D\uDE00\n");
    assertThat(r.messageAttributes()).doesNotContainKey(SqsEnvelope.ENCODING)
        .containsKeys(SqsEnvelope.ID, SqsEnvelope.TYPE, "tenant");
  }

  @Test
  void everyPayloadComesBackByteExact() {
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    byte[] invalidUtf8 = {(byte) 0xC3, (byte) 0x28};
    byte[] controlChar = "a\u0001b".getBytes(StandardCharsets.UTF_8);
    for (byte[] p : new byte[][] {binary, invalidUtf8, controlChar, new byte[0], "plain".getBytes(StandardCharsets.UTF_8)}) {
      Envelope.Decoded d = roundTrip(p, Map.of("k", "v"));
      assertThat(d.failure()).isNull();
      assertThat(d.message().payload()).isEqualTo(p);
      assertThat(d.message().headers()).isEqualTo(Map.of("k", "v"));
      assertThat(d.message().id()).isEqualTo("id-1");
      assertThat(d.message().type()).isEqualTo("order");
    }
    assertThat(Envelope.request("q", null, null, invalidUtf8, Map.of()).build().messageAttributes().get(SqsEnvelope.ENCODING)
        .stringValue()).isEqualTo("base64");
    assertThat(Envelope.request("q", null, null, new byte[0], Map.of()).build().messageBody()).isNotEmpty();
  }

  @Test
  void withoutEnvelopeAttributesTheSqsIdAndDefaultTypeApply() {
    Message m = Message.builder().messageId("sqs-id").receiptHandle("rh").body("raw")
        .messageAttributes(Map.of("n", MessageAttributeValue.builder().dataType("Number").stringValue("42").build(),
            "bin", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromUtf8String("x")).build()))
        .attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "4")).build();
    Envelope.Decoded d = Envelope.decode(m, SRC, "dflt", NOW);
    assertThat(d.message().id()).isEqualTo("sqs-id");
    assertThat(d.message().type()).isEqualTo("dflt");
    assertThat(d.message().attempt()).isEqualTo(4);
    assertThat(d.message().firstSeen()).isEqualTo(NOW);
    assertThat(d.message().headers()).containsExactly(Map.entry("n", "42"));
    assertThat(d.message().source()).isEqualTo(SRC);
  }

  @Test
  void aBodyThatCannotBeDecodedIsAFailureNotAnException() {
    Message badBase64 = Message.builder().messageId("m").receiptHandle("rh").body("%%%")
        .messageAttributes(Map.of(SqsEnvelope.ENCODING, Envelope.string("base64"))).build();
    Envelope.Decoded d = Envelope.decode(badBase64, SRC, "t", NOW);
    assertThat(d.failure()).isInstanceOf(InvalidMessageException.class).hasMessageContaining("not valid base64");
    assertThat(d.message().payloadAsString()).isEqualTo("%%%");

    Message unknown = badBase64.toBuilder().messageAttributes(Map.of(SqsEnvelope.ENCODING, Envelope.string("gzip"))).build();
    assertThat(Envelope.decode(unknown, SRC, "t", NOW).failure()).hasMessageContaining("unknown dlq-encoding 'gzip'");
  }

  @Test
  void headersThatSqsWouldRefuseAreRefusedHere() {
    assertThatThrownBy(() -> Envelope.request("q", null, null, new byte[1], Map.of("has space", "v")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'has space' cannot be an SQS message attribute");
    assertThatThrownBy(() -> Envelope.request("q", null, null, new byte[1], Map.of("AWS.x", "v")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Envelope.request("q", null, null, new byte[1], Map.of("k", "")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must have a value");
    assertThatThrownBy(() -> Envelope.request("q", null, null, new byte[1], Map.of(SqsEnvelope.TYPE, "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 9; i++) {
      many.put("h" + i, "v");
    }
    assertThat(Envelope.request("q", "id", null, "x".getBytes(StandardCharsets.UTF_8), many).build().messageAttributes()).hasSize(10);
    assertThatThrownBy(() -> Envelope.request("q", "id", "t", "x".getBytes(StandardCharsets.UTF_8), many))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 10 attributes but this one needs 11");
  }
}
