package dev.dlq.nats.internal;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterJson;
import dev.dlq.InvalidMessageException;
import dev.dlq.Message;
import dev.dlq.nats.NatsHeaders;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A dead letter as a NATS message: the original payload byte-exact as the body, readable {@code Dlq-*}
 * headers, and the full record (minus its payload) as base64 JSON in {@link NatsHeaders#DEAD_LETTER}.
 */
final class DlqCodec {
  static final int MAX_TEXT_HEADER = 1024;
  private static final byte[] EMPTY = new byte[0];

  private DlqCodec() {}

  /** The headers of a dead letter's DLQ message; {@code slim} leaves out the stack trace and history (size limits). */
  static Headers headers(DeadLetter dl, String natsMsgId, Origin origin, boolean slim) {
    Message m = dl.message();
    Headers h = new Headers();
    h.put(NatsHeaders.NATS_MSG_ID, natsMsgId);
    h.put(NatsHeaders.DEAD_LETTER_ID, dl.id());
    h.put(NatsHeaders.ORIGINAL_MESSAGE_ID, Nats.ascii(m.id(), MAX_TEXT_HEADER));
    h.put(NatsHeaders.MESSAGE_TYPE, Nats.ascii(m.type(), MAX_TEXT_HEADER));
    h.put(NatsHeaders.ERROR_CLASS, dl.errorClass().name());
    h.put(NatsHeaders.ERROR_TYPE, Nats.ascii(dl.errorType(), MAX_TEXT_HEADER));
    h.put(NatsHeaders.ERROR_MESSAGE, Nats.ascii(dl.errorMessage(), MAX_TEXT_HEADER));
    h.put(NatsHeaders.ATTEMPTS, Integer.toString(dl.attempts()));
    h.put(NatsHeaders.MAX_ATTEMPTS, Integer.toString(dl.maxAttempts()));
    h.put(NatsHeaders.REASON, dl.reason().name());
    h.put(NatsHeaders.ORIGINAL_SUBJECT, Nats.ascii(m.source().destination(), MAX_TEXT_HEADER));
    if (origin != null) {
      h.put(NatsHeaders.ORIGINAL_STREAM, origin.stream());
      h.put(NatsHeaders.ORIGINAL_SEQUENCE, Long.toString(origin.sequence()));
    }
    h.put(NatsHeaders.DEAD_AT, dl.deadAt().toString());
    h.put(NatsHeaders.FINGERPRINT, Nats.ascii(dl.fingerprint(), MAX_TEXT_HEADER));
    h.put(NatsHeaders.WORKER, Nats.ascii(dl.workerId(), MAX_TEXT_HEADER));
    DeadLetter bare = withPayload(dl, EMPTY, slim);
    h.put(NatsHeaders.DEAD_LETTER, Base64.getEncoder().encodeToString(DeadLetterJson.toJson(bare)));
    return h;
  }

  /**
   * The dead letter carried by a DLQ message.
   *
   * @throws InvalidMessageException when the message is not a dead letter
   */
  static DeadLetter decode(Headers headers, byte[] body) {
    String json = headers == null ? null : headers.getFirst(NatsHeaders.DEAD_LETTER);
    if (json == null) {
      throw new InvalidMessageException("not a dlq dead letter: header " + NatsHeaders.DEAD_LETTER + " is missing");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(json.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException("not a dlq dead letter: header " + NatsHeaders.DEAD_LETTER + " is not base64", e);
    }
    return withPayload(DeadLetterJson.fromJson(bytes), body == null ? EMPTY : body, false);
  }

  /** The dead-letter id of a DLQ message, or null. */
  static String id(Headers headers) {
    return headers == null ? null : headers.getFirst(NatsHeaders.DEAD_LETTER_ID);
  }

  private static DeadLetter withPayload(DeadLetter dl, byte[] payload, boolean slim) {
    Message m = dl.message();
    Message m2 = new Message(m.id(), m.type(), payload, m.headers(), m.source(), m.attempt(), m.firstSeen());
    return new DeadLetter(dl.id(), m2, dl.errorClass(), dl.errorType(),
        slim ? Nats.ascii(dl.errorMessage(), MAX_TEXT_HEADER) : dl.errorMessage(), slim ? "" : dl.stackTrace(),
        dl.attempts(), dl.maxAttempts(), dl.firstFailureAt(), dl.lastFailureAt(), dl.deadAt(), dl.workerId(),
        dl.reason(), dl.fingerprint(), slim ? List.of() : dl.history());
  }
}
