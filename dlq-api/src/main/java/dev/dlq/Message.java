package dev.dlq;

import static dev.dlq.spi.Checks.atLeast;
import static dev.dlq.spi.Checks.notBlank;
import static dev.dlq.spi.Checks.notNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * One message or task as a processor sees it. The payload is kept byte-exact end to end: it is
 * copied in and handed out as a copy or a read-only buffer, so no caller can change it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the message id, stable across redeliveries and replays
 * @param type what kind of message this is (routes processors, names DLQ subjects)
 * @param payload the body, byte-exact
 * @param headers string headers (attributes), never null
 * @param source where it came from
 * @param attempt this delivery's attempt number, 1-based
 * @param firstSeen when the message was first seen (enqueued or first received)
 */
public record Message(
    String id,
    String type,
    byte[] payload,
    Map<String, String> headers,
    SourceRef source,
    int attempt,
    Instant firstSeen) {

  /**
   * Checks the arguments and copies {@code payload} and {@code headers}.
   *
   * @param id the message id, not blank
   * @param type what kind of message this is, not blank
   * @param payload the body, copied
   * @param headers string headers, copied
   * @param source where it came from
   * @param attempt this delivery's attempt number, at least 1
   * @param firstSeen when the message was first seen
   * @throws IllegalArgumentException when an argument is null, {@code id} or {@code type} is blank,
   *     or {@code attempt} is below 1
   * @throws NullPointerException when {@code headers} holds a null key or value
   */
  public Message {
    notBlank(id, "id");
    notBlank(type, "type");
    payload = notNull(payload, "payload").clone();
    headers = Map.copyOf(notNull(headers, "headers"));
    notNull(source, "source");
    atLeast(attempt, 1, "attempt");
    notNull(firstSeen, "firstSeen");
  }

  /**
   * A message with no headers.
   *
   * @param id the message id, not blank
   * @param type what kind of message this is, not blank
   * @param payload the body, copied
   * @param source where it came from
   * @param attempt this delivery's attempt number, at least 1
   * @param firstSeen when the message was first seen
   * @return the message
   * @throws IllegalArgumentException when an argument is null, {@code id} or {@code type} is blank,
   *     or {@code attempt} is below 1
   */
  public static Message of(String id, String type, byte[] payload, SourceRef source, int attempt, Instant firstSeen) {
    return new Message(id, type, payload, Map.of(), source, attempt, firstSeen);
  }

  /**
   * A copy of the payload.
   *
   * @return a new array on every call
   */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /**
   * The payload as a read-only buffer, without copying.
   *
   * @return a new read-only buffer over the whole payload
   */
  public ByteBuffer payloadBuffer() {
    return ByteBuffer.wrap(payload).asReadOnlyBuffer();
  }

  /**
   * The payload decoded as UTF-8; malformed bytes become the replacement character.
   *
   * @return the text
   */
  public String payloadAsString() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /**
   * The payload's length in bytes.
   *
   * @return the length
   */
  public int payloadSize() {
    return payload.length;
  }

  /**
   * This message as delivery number {@code attempt}.
   *
   * @param attempt the attempt number, at least 1
   * @return a copy with that attempt number
   * @throws IllegalArgumentException when {@code attempt} is below 1
   */
  public Message withAttempt(int attempt) {
    return new Message(id, type, payload, headers, source, attempt, firstSeen);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message m
        && id.equals(m.id)
        && type.equals(m.type)
        && Arrays.equals(payload, m.payload)
        && headers.equals(m.headers)
        && source.equals(m.source)
        && attempt == m.attempt
        && firstSeen.equals(m.firstSeen);
  }

  @Override
  public int hashCode() {
    return ((id.hashCode() * 31 + type.hashCode()) * 31 + Arrays.hashCode(payload)) * 31 + attempt;
  }

  @Override
  public String toString() {
    return "Message[id=" + id + ", type=" + type + ", source=" + source + ", attempt=" + attempt
        + ", payload=" + payload.length + " bytes, headers=" + headers.keySet() + "]";
  }
}
