package dev.dlq;

/**
 * Thrown (by a processor or a source) when a message cannot be decoded or is structurally
 * invalid. The engine dead-letters it at once with reason {@link DeadLetterReason#INVALID}; it is
 * never retried.
 */
public class InvalidMessageException extends DlqException {
  private static final long serialVersionUID = 1L;

  /**
   * A message that cannot be used, as {@code message} says.
   *
   * @param message what is wrong with it
   */
  public InvalidMessageException(String message) {
    super(message);
  }

  /**
   * A message that cannot be used, as {@code message} says; {@code cause} is the decoding error.
   *
   * @param message what is wrong with it
   * @param cause the decoding or validation error
   */
  public InvalidMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
