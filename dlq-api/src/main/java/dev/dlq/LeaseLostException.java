package dev.dlq;

/**
 * A settlement found that the worker no longer held the message: its lease ran out and another
 * worker may be running it. Nothing was changed; the other holder settles it.
 */
public class LeaseLostException extends DlqException {
  private static final long serialVersionUID = 1L;
  /** The message whose lease was lost. */
  private final String messageId;
  /** The source it belongs to. */
  private final String source;

  /**
   * The lease on message {@code messageId} of {@code source} was lost.
   *
   * @param messageId the message whose lease was lost
   * @param source the source (queue, subject) it belongs to
   * @param message what happened
   */
  public LeaseLostException(String messageId, String source, String message) {
    super(message);
    this.messageId = messageId;
    this.source = source;
  }

  /**
   * The message whose lease was lost.
   *
   * @return the message id
   */
  public String messageId() {
    return messageId;
  }

  /**
   * The source (queue, subject) it belongs to.
   *
   * @return the source
   */
  public String source() {
    return source;
  }
}
