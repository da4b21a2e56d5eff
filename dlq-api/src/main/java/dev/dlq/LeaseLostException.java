package dev.dlq;

/**
 * A settlement found that the worker no longer held the message: its lease ran out and another
 * worker may be running it. Nothing was changed; the other holder settles it.
 */
public class LeaseLostException extends DlqException {
  private static final long serialVersionUID = 1L;
  private final String messageId;
  private final String source;

  /** The lease on message {@code messageId} of {@code source} was lost. */
  public LeaseLostException(String messageId, String source, String message) {
    super(message);
    this.messageId = messageId;
    this.source = source;
  }

  /** The message whose lease was lost. */
  public String messageId() {
    return messageId;
  }

  /** The source (queue, subject) it belongs to. */
  public String source() {
    return source;
  }
}
