package dev.dlq.nats;

/**
 * The NATS header names dlq reads and writes. Work messages may carry {@link #TYPE}; dead letters on
 * {@code <prefix>.dlq.<type>} carry the {@code Dlq-*} error headers below for any NATS client to read,
 * plus {@link #DEAD_LETTER} (base64 of the dead-letter JSON without its payload) from which the store
 * rebuilds the full record. Replayed messages carry the control headers {@link #MESSAGE_ID},
 * {@link #REPLAY_ID} and {@link #ORIGINAL_NATS_MSG_ID}, which the source strips again, so a processor sees
 * the original headers byte-exact.
 */
public final class NatsHeaders {
  private NatsHeaders() {}

  /** JetStream's de-duplication id. */
  public static final String NATS_MSG_ID = "Nats-Msg-Id";
  /** The message type of a work message (the default type rule reads it first). */
  public static final String TYPE = "Dlq-Type";

  /** Control (replay): the message id the replayed message keeps. */
  public static final String MESSAGE_ID = "Dlq-Msg-Id";
  /** Control (replay): the replay that sent this message. */
  public static final String REPLAY_ID = "Dlq-Replay-Id";
  /** Control (replay): the original {@code Nats-Msg-Id}, moved aside so JetStream does not drop the replay. */
  public static final String ORIGINAL_NATS_MSG_ID = "Dlq-Nats-Msg-Id";

  /** Dead letter: its id. */
  public static final String DEAD_LETTER_ID = "Dlq-Id";
  /** Dead letter: the original message id. */
  public static final String ORIGINAL_MESSAGE_ID = "Dlq-Message-Id";
  /** Dead letter: the original message type. */
  public static final String MESSAGE_TYPE = "Dlq-Message-Type";
  /** Dead letter: the error class (RECOVERABLE, USER_ERROR, SYSTEM_ERROR, UNKNOWN). */
  public static final String ERROR_CLASS = "Dlq-Error-Class";
  /** Dead letter: the exception class name, or "rejected", "lease-expired". */
  public static final String ERROR_TYPE = "Dlq-Error-Type";
  /** Dead letter: the error message, ASCII, one line, at most 1024 characters. */
  public static final String ERROR_MESSAGE = "Dlq-Error-Message";
  /** Dead letter: how many attempts were made. */
  public static final String ATTEMPTS = "Dlq-Attempts";
  /** Dead letter: how many the policy allowed. */
  public static final String MAX_ATTEMPTS = "Dlq-Max-Attempts";
  /** Dead letter: why (EXHAUSTED, NON_RETRYABLE, INVALID, REJECTED, LEASE_EXPIRED). */
  public static final String REASON = "Dlq-Reason";
  /** Dead letter: the subject the message came from (replay sends it back there). */
  public static final String ORIGINAL_SUBJECT = "Dlq-Original-Subject";
  /** Dead letter: the stream the message came from, when known. */
  public static final String ORIGINAL_STREAM = "Dlq-Original-Stream";
  /** Dead letter: the stream sequence of the original, when known. */
  public static final String ORIGINAL_SEQUENCE = "Dlq-Original-Sequence";
  /** Dead letter: when it died, ISO-8601. */
  public static final String DEAD_AT = "Dlq-Dead-At";
  /** Dead letter: the failure group. */
  public static final String FINGERPRINT = "Dlq-Fingerprint";
  /** Dead letter: the worker that gave up. */
  public static final String WORKER = "Dlq-Worker";
  /** Dead letter: base64 of the dead-letter JSON (docs/dead-letter-format.md) with an empty payload. */
  public static final String DEAD_LETTER = "Dlq-Dead-Letter";
}
