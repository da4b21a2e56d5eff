package dev.dlq.sqs;

import dev.dlq.sqs.internal.Envelope;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The SQS message envelope dlq consumes and produces (docs/sqs.md): the body is the payload, as
 * UTF-8 text, or base64 when the payload is not text SQS accepts; message attributes carry the
 * message id ({@value #ID}), type ({@value #TYPE}) and body encoding ({@value #ENCODING}); every other
 * String or Number attribute is a header. A message without {@value #ID} is known by its SQS
 * MessageId, one without {@value #TYPE} by the source's default type.
 *
 * <p>Dead letters sent by {@link SqsDeadLetterSink} carry the dead-letter JSON as body and the
 * attributes {@value #FORMAT}, {@value #DEAD_LETTER_ID}, {@value #ID}, {@value #TYPE},
 * {@value #ERROR_CLASS}, {@value #ERROR_TYPE}, {@value #REASON} and {@value #ATTEMPTS}.
 *
 * <p>Thread-safe (static methods only).
 */
public final class SqsEnvelope {
  /** The message id (String); without it the SQS MessageId is the id. */
  public static final String ID = "dlq-id";
  /** The message type (String); without it the source's default type applies. */
  public static final String TYPE = "dlq-type";
  /** How the body encodes the payload: absent for UTF-8 text, {@code base64}, or {@code empty} for no bytes. */
  public static final String ENCODING = "dlq-encoding";
  /** On a dead letter: the dead-letter JSON format ({@link dev.dlq.DeadLetterJson#FORMAT}). */
  public static final String FORMAT = "dlq-format";
  /** On a dead letter: its id ({@link dev.dlq.DeadLetter#id()}). */
  public static final String DEAD_LETTER_ID = "dlq-dead-letter-id";
  /** On a dead letter: its error class. */
  public static final String ERROR_CLASS = "dlq-error-class";
  /** On a dead letter: the exception's class name, or "rejected", "lease-expired". */
  public static final String ERROR_TYPE = "dlq-error-type";
  /** On a dead letter: why it died ({@link dev.dlq.DeadLetterReason}). */
  public static final String REASON = "dlq-reason";
  /** On a dead letter: attempts made (Number). */
  public static final String ATTEMPTS = "dlq-attempts";

  private SqsEnvelope() {}

  /**
   * A send request for a message in this envelope (the queue URL is set; add a message group for
   * FIFO queues).
   *
   * @param queueUrl where to send it
   * @param id the message id, or null to let SQS's MessageId be the id
   * @param type the message type, or null for the consuming source's default type
   * @param payload the bytes, kept byte-exact
   * @param headers headers, sent as String attributes (at most 10 attributes in all, names as SQS allows)
   * @return the request, for more settings before it is sent
   * @throws IllegalArgumentException when a header cannot be an SQS message attribute
   */
  public static SendMessageRequest.Builder request(String queueUrl, String id, String type, byte[] payload,
      Map<String, String> headers) {
    return Envelope.request(queueUrl, id, type, payload, headers);
  }
}
