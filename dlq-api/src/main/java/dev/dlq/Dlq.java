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
 * @throws DlqException from every method when no provider, or more than one, has that name; the
 *     message lists what was found
 */
public final class Dlq {
  private Dlq() {}

  /** A new source from provider {@code name}. */
  public static Source source(String name, Map<String, ?> settings) {
    return Providers.source(name).create(Settings.of(name, settings));
  }

  /** A new dead-letter sink from provider {@code name}. */
  public static DeadLetterSink sink(String name, Map<String, ?> settings) {
    return Providers.sink(name).create(Settings.of(name, settings));
  }

  /** A new dead-letter store from provider {@code name}. */
  public static DeadLetterStore store(String name, Map<String, ?> settings) {
    return Providers.store(name).create(Settings.of(name, settings));
  }

  /** The names of the source providers found. */
  public static List<String> sourceProviders() {
    return Providers.names(SourceProvider.class);
  }

  /** The names of the sink providers found. */
  public static List<String> sinkProviders() {
    return Providers.names(DeadLetterSinkProvider.class);
  }

  /** The names of the store providers found. */
  public static List<String> storeProviders() {
    return Providers.names(DeadLetterStoreProvider.class);
  }

  /**
   * The setting keys store provider {@code name} reads ({@link DeadLetterStoreProvider#settingKeys()});
   * empty when it does not say.
   */
  public static java.util.Set<String> storeSettingKeys(String name) {
    return Providers.store(name).settingKeys();
  }
}
