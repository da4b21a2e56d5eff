package dev.dlq;

/** A setting given to a provider or a builder is missing, unknown or malformed. */
public class InvalidSettingException extends DlqException {
  private static final long serialVersionUID = 1L;
  /** The setting's key. */
  private final String setting;

  /**
   * Setting {@code setting} is wrong, as {@code message} says.
   *
   * @param setting the setting's key
   * @param message what is wrong, naming the setting
   */
  public InvalidSettingException(String setting, String message) {
    super(message);
    this.setting = setting;
  }

  /**
   * Setting {@code setting} is wrong; {@code cause} is the parse error.
   *
   * @param setting the setting's key
   * @param message what is wrong, naming the setting
   * @param cause the parse error
   */
  public InvalidSettingException(String setting, String message, Throwable cause) {
    super(message, cause);
    this.setting = setting;
  }

  /**
   * The setting's key.
   *
   * @return the key
   */
  public String setting() {
    return setting;
  }
}
