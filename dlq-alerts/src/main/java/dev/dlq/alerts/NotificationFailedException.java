package dev.dlq.alerts;

import dev.dlq.DlqException;

/**
 * A notifier could not hand an alert over (the receiver answered with an error status, or could not
 * be reached). Durable delivery tries it again later.
 */
public class NotificationFailedException extends DlqException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure without a cause.
   *
   * @param message what failed, on one line
   */
  public NotificationFailedException(String message) {
    super(message);
  }

  /**
   * A failure caused by {@code cause} (the I/O or mail exception).
   *
   * @param message what failed, on one line
   * @param cause the vendor exception
   */
  public NotificationFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
