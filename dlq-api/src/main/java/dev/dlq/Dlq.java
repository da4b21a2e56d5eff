package dev.dlq;

import dev.dlq.internal.Providers;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DeadLetterSinkProvider;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.DeadLetterStoreProvider;
import dev.dlq.spi.Settings;
import dev.dlq.spi.Source;
import dev.dlq.spi.SourceProvider;
import java.util.List;
import java.util.Map;

/**
 * Finds backends by name ("memory", "postgres", "sqs", "nats") with {@link java.util.ServiceLoader}.
 *
 * <pre>{@code
 * DeadLetterStore store = Dlq.store("postgres", Map.of("url", "jdbc:postgresql://localhost/app"));
 * }</pre>
 *
 * <p>Each call looks the providers up again; a provider returns a new object each time. Stateless and
 * thread-safe.
 */
public final class Dlq {
  private Dlq() {}

  /**
   * A new source from provider {@code name}.
   *
   * @param name the provider's name
   * @param settings the provider's settings: strings, or ready objects such as a {@code DataSource}
   * @return what the provider created
   * @throws ProviderNotFoundException when no SourceProvider, or more than one, has that name; the message
   *     lists what was found
   * @throws InvalidSettingException (or another {@link DlqException} of the provider) when a setting
   *     is missing or malformed
   * @throws IllegalArgumentException when {@code name} is null or blank
   * @throws NullPointerException when {@code settings} is null or holds a null key or value
   */
  public static Source source(String name, Map<String, ?> settings) {
    return Providers.source(name).create(Settings.of(name, settings));
  }

  /**
   * A new dead-letter sink from provider {@code name}.
   *
   * @param name the provider's name
   * @param settings the provider's settings: strings, or ready objects such as a {@code DataSource}
   * @return what the provider created
   * @throws ProviderNotFoundException when no DeadLetterSinkProvider, or more than one, has that name; the message
   *     lists what was found
   * @throws InvalidSettingException (or another {@link DlqException} of the provider) when a setting
   *     is missing or malformed
   * @throws IllegalArgumentException when {@code name} is null or blank
   * @throws NullPointerException when {@code settings} is null or holds a null key or value
   */
  public static DeadLetterSink sink(String name, Map<String, ?> settings) {
    return Providers.sink(name).create(Settings.of(name, settings));
  }

  /**
   * A new dead-letter store from provider {@code name}.
   *
   * @param name the provider's name
   * @param settings the provider's settings: strings, or ready objects such as a {@code DataSource}
   * @return what the provider created
   * @throws ProviderNotFoundException when no DeadLetterStoreProvider, or more than one, has that name; the message
   *     lists what was found
   * @throws InvalidSettingException (or another {@link DlqException} of the provider) when a setting
   *     is missing or malformed
   * @throws IllegalArgumentException when {@code name} is null or blank
   * @throws NullPointerException when {@code settings} is null or holds a null key or value
   */
  public static DeadLetterStore store(String name, Map<String, ?> settings) {
    return Providers.store(name).create(Settings.of(name, settings));
  }

  /**
   * The names of the source providers found.
   *
   * @return their names, in the order {@link java.util.ServiceLoader} found them
   */
  public static List<String> sourceProviders() {
    return Providers.names(SourceProvider.class);
  }

  /**
   * The names of the sink providers found.
   *
   * @return their names, in the order {@link java.util.ServiceLoader} found them
   */
  public static List<String> sinkProviders() {
    return Providers.names(DeadLetterSinkProvider.class);
  }

  /**
   * The names of the store providers found.
   *
   * @return their names, in the order {@link java.util.ServiceLoader} found them
   */
  public static List<String> storeProviders() {
    return Providers.names(DeadLetterStoreProvider.class);
  }

  /**
   * The setting keys store provider {@code name} reads ({@link DeadLetterStoreProvider#settingKeys()});
   * empty when it does not say.
   *
   * @param name the store provider's name
   * @return the setting keys it reads
   */
  public static java.util.Set<String> storeSettingKeys(String name) {
    return Providers.store(name).settingKeys();
  }
}
