package dev.dlq.spi;

/**
 * Creates {@link DeadLetterStore}s of one backend; found with {@link java.util.ServiceLoader} by {@link #name()}.
 * A backend module {@code provides} it in module-info and lists it in {@code META-INF/services}.
 * Thread-safe; {@link #create} returns a new, independent object each time.
 */
public interface DeadLetterStoreProvider {
  /**
   * The backend's name: "memory", "postgres", "sqs", "nats".
   *
   * @return the name {@link dev.dlq.Dlq} looks it up by
   */
  String name();

  /**
   * A new {@link DeadLetterStore} configured by {@code settings}.
   *
   * @param settings the settings, with the provider's name
   * @return a new, independent object
   * @throws dev.dlq.DlqException when a setting is missing or malformed (the message names it)
   */
  DeadLetterStore create(Settings settings);

  /**
   * The keys of the string settings {@link #create} reads, so that a command line can reject a
   * misspelt one and name the valid ones; empty (the default) when the provider does not say, and
   * then any key is accepted.
   *
   * @return the setting keys, or an empty set
   */
  default java.util.Set<String> settingKeys() {
    return java.util.Set.of();
  }
}
