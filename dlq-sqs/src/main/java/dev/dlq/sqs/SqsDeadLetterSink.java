package dev.dlq.sqs;

import dev.dlq.spi.Checks;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterJson;
import dev.dlq.DlqException;
import dev.dlq.RecordResult;
import dev.dlq.sqs.internal.Args;
import dev.dlq.sqs.internal.Envelope;
import dev.dlq.spi.DeadLetterSink;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * A {@link DeadLetterSink} that sends each dead letter to an SQS dead-letter queue: the body is the
 * dead-letter JSON ({@link DeadLetterJson}, payload in base64, byte-exact), the attributes carry its
 * id, the message's id and type, error class, error type, reason and attempts (see
 * {@link SqsEnvelope}). {@link #record} returns once SQS accepted the message, so the original can
 * then be deleted.
 *
 * <p>A FIFO queue (URL ending in {@code .fifo}) gets the dead-letter id as both
 * MessageDeduplicationId and MessageGroupId: a second publish of the same death within SQS's
 * 5-minute deduplication window (a redelivery after a crash between publish and delete) is dropped
 * by SQS; so is, within that window, the death of the same message after a redrive.
 *
 * <p>What {@link #record} returns: SQS cannot be asked whether a dead letter is already queued, so
 * every accepted publish returns {@link RecordResult#CREATED}; REOPENED (a redriven message that died
 * again) and ALREADY_RECORDED are not told apart. Both CREATED and REOPENED count as a death, so the
 * worker's dead-lettered counter moves once per publish.
 *
 * <p>Thread-safe.
 */
public final class SqsDeadLetterSink implements DeadLetterSink {
  private static final Logger log = LoggerFactory.getLogger(SqsDeadLetterSink.class);

  private final SqsClient client;
  private final String queueUrl;
  private final boolean fifo;
  private final boolean closeClient;

  private SqsDeadLetterSink(Builder b) {
    this.client = b.client;
    this.queueUrl = b.queueUrl;
    this.fifo = b.fifo != null ? b.fifo : queueUrl.endsWith(".fifo");
    this.closeClient = b.closeClient;
  }

  /**
   * A builder for the dead-letter queue at {@code queueUrl}.
   *
   * @param client the SQS client to use
   * @param queueUrl the dead-letter queue's URL
   * @return a builder
   */
  public static Builder builder(SqsClient client, String queueUrl) {
    return new Builder(client, queueUrl);
  }

  /**
   * The dead-letter queue's URL.
   *
   * @return the dead-letter queue's URL
   */
  public String queueUrl() {
    return queueUrl;
  }

  /**
   * Sends {@code deadLetter} to the dead-letter queue.
   *
   * @return {@link RecordResult#CREATED} once SQS accepted it
   * @throws DlqException when SQS refused it or could not be reached (cause: the SDK's exception);
   *     the original must then be kept
   */
  @Override
  public RecordResult record(DeadLetter deadLetter) {
    Checks.notNull(deadLetter, "deadLetter");
    SendMessageRequest request = request(deadLetter);
    try {
      client.sendMessage(request);
    } catch (SdkException e) {
      throw new DlqException("could not send dead letter " + deadLetter.id() + " of message " + deadLetter.message().id()
          + " to " + queueUrl + ": " + e.getMessage(), e);
    }
    log.debug("dead letter {} of {} sent to {}", deadLetter.id(), deadLetter.message().source(), queueUrl);
    return RecordResult.CREATED;
  }

  SendMessageRequest request(DeadLetter dl) {
    Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
    attrs.put(SqsEnvelope.FORMAT, Envelope.string(DeadLetterJson.FORMAT));
    attrs.put(SqsEnvelope.DEAD_LETTER_ID, Envelope.string(dl.id()));
    attrs.put(SqsEnvelope.ID, Envelope.string(dl.message().id()));
    attrs.put(SqsEnvelope.TYPE, Envelope.string(dl.message().type()));
    attrs.put(SqsEnvelope.ERROR_CLASS, Envelope.string(dl.errorClass().name()));
    if (!dl.errorType().isEmpty()) {
      attrs.put(SqsEnvelope.ERROR_TYPE, Envelope.string(dl.errorType()));
    }
    attrs.put(SqsEnvelope.REASON, Envelope.string(dl.reason().name()));
    attrs.put(SqsEnvelope.ATTEMPTS, Envelope.number(dl.attempts()));
    SendMessageRequest.Builder b = SendMessageRequest.builder().queueUrl(queueUrl)
        .messageBody(new String(DeadLetterJson.toJson(dl), StandardCharsets.UTF_8))
        .messageAttributes(attrs);
    if (fifo) {
      b.messageGroupId(dl.id()).messageDeduplicationId(dl.id());
    }
    return b.build();
  }

  @Override
  public void close() {
    if (closeClient) {
      client.close();
    }
  }

  /** Configures an {@link SqsDeadLetterSink}. Mutable and not thread-safe. */
  public static final class Builder {
    private final SqsClient client;
    private final String queueUrl;
    private Boolean fifo;
    private boolean closeClient;

    private Builder(SqsClient client, String queueUrl) {
      this.client = Checks.notNull(client, "client");
      this.queueUrl = Checks.notBlank(queueUrl, "queueUrl");
    }

    /**
     * Whether the queue is FIFO; default: its URL ends in {@code .fifo}.
     *
     * @param fifo true for a FIFO dead-letter queue (message group and deduplication id set)
     * @return this builder
     */
    public Builder fifo(boolean fifo) {
      this.fifo = fifo;
      return this;
    }

    /**
     * Whether {@link SqsDeadLetterSink#close()} closes the client; default false (the caller owns it).
     *
     * @param close true to close the client when this closes
     * @return this builder
     */
    public Builder closeClient(boolean close) {
      this.closeClient = close;
      return this;
    }

    /**
     * Builds the sink; no I/O until used.
     *
     * @return the sink
     */
    public SqsDeadLetterSink build() {
      return new SqsDeadLetterSink(this);
    }
  }
}
