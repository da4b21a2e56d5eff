package dev.dlq;

/**
 * The one unchecked root of every exception dlq throws. A vendor exception (SQLException,
 * SdkException, JetStreamApiException) is always kept as the cause. Subclasses carry their context
 * through getters: {@link ProviderNotFoundException}, {@link InvalidSettingException},
 * {@link SchemaMissingException}, {@link LeaseLostException}, {@link StoreUnavailableException},
 * {@link InvalidMessageException}.
 */
public class DlqException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An error described by {@code message}.
   *
   * @param message what went wrong
   */
  public DlqException(String message) {
    super(message);
  }

  /**
   * An error described by {@code message}, caused by {@code cause} (the vendor's exception).
   *
   * @param message what went wrong
   * @param cause the underlying exception
   */
  public DlqException(String message, Throwable cause) {
    super(message, cause);
  }
}
