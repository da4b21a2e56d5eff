package dev.dlq;

/**
 * The one unchecked root of every exception dlq throws. A vendor exception (SQLException,
 * SdkException, JetStreamApiException) is always kept as the cause.
 */
public class DlqException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DlqException(String message) {
    super(message);
  }

  public DlqException(String message, Throwable cause) {
    super(message, cause);
  }
}
