package dev.dlq.internal.memory;

import dev.dlq.InMemory;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DeadLetterSinkProvider;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.DeadLetterStoreProvider;
import dev.dlq.spi.Settings;
import dev.dlq.spi.Source;
import dev.dlq.spi.SourceProvider;
import java.time.Duration;

/**
 * The "memory" providers. Settings: {@code instance} (default "default", shared by name),
 * {@code queue} (sources; required), {@code lease} (default 30s), {@code maxDeliveries} (default: the worker's attempt budget).
 */
public final class MemoryProviders {
  private MemoryProviders() {}

  static InMemory instance(Settings s) {
    return InMemory.named(s.get("instance", "default"));
  }

  public static final class Sources implements SourceProvider {
    @Override
    public String name() {
      return "memory";
    }

    @Override
    public Source create(Settings s) {
      return instance(s).source(s.require("queue"), s.getDuration("lease", Duration.ofSeconds(30)),
          s.getInt("maxDeliveries", 0));
    }
  }

  public static final class Sinks implements DeadLetterSinkProvider {
    @Override
    public String name() {
      return "memory";
    }

    @Override
    public DeadLetterSink create(Settings s) {
      return instance(s).store();
    }
  }

  public static final class Stores implements DeadLetterStoreProvider {
    @Override
    public String name() {
      return "memory";
    }

    @Override
    public DeadLetterStore create(Settings s) {
      return instance(s).store();
    }

    /**
     * The settings a store reads.
     *
     * @return instance
     */
    @Override
    public java.util.Set<String> settingKeys() {
      return java.util.Set.of("instance");
    }
  }
}
