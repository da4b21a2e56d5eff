package dev.dlq.spi;

/**
 * Creates {@link DeadLetterSink}s of one backend; found with {@link java.util.ServiceLoader} by {@link #name()}.
 * A backend module {@code provides} it in module-info and lists it in {@code META-INF/services}.
 * Thread-safe; {@link #create} returns a new, independent object each time.
 */
public interface DeadLetterSinkProvider {
  /**
   * The backend's name: "memory", "postgres", "sqs", "nats".
   *
   * @return the name {@link dev.dlq.Dlq} looks it up by
   */
  String name();

  /**
   * A new {@link DeadLetterSink} configured by {@code settings}.
   *
   * @param settings the settings, with the provider's name
   * @return a new, independent object
   * @throws dev.dlq.DlqException when a setting is missing or malformed (the message names it)
   */
  DeadLetterSink create(Settings settings);
}
