package dev.dlq;

/**
 * Thrown (by a processor or a source) when a message cannot be decoded or is structurally
 * invalid. The engine dead-letters it at once with reason {@link DeadLetterReason#INVALID}; it is
 * never retried.
 */
public class InvalidMessageException extends DlqException {
  private static final long serialVersionUID = 1L;

  public InvalidMessageException(String message) {
    super(message);
  }

  public InvalidMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
