package dev.dlq;

/**
 * A backend (database, broker, queue service) could not be reached or failed; the vendor's
 * exception is the cause. Workers back off and try again; operators see the message.
 */
public class StoreUnavailableException extends DlqException {
  private static final long serialVersionUID = 1L;
  /** The backend's name. */
  private final String backend;

  /**
   * {@code backend} failed with {@code cause}.
   *
   * @param backend the backend's name: postgres, sqs, nats
   * @param message what failed
   * @param cause the vendor's exception
   */
  public StoreUnavailableException(String backend, String message, Throwable cause) {
    super(message, cause);
    this.backend = backend;
  }

  /**
   * The backend's name: postgres, sqs, nats.
   *
   * @return the name
   */
  public String backend() {
    return backend;
  }
}
