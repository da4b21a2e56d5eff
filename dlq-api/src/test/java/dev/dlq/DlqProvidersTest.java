package dev.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Settings;
import dev.dlq.spi.Source;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DlqProvidersTest {
  @Test
  void theMemoryProviderIsFoundAndSharesStateByInstanceName() throws Exception {
    Map<String, String> settings = Map.of("instance", "providers-test", "queue", "orders");
    Source source = Dlq.source("memory", settings);
    DeadLetterStore store = Dlq.store("memory", settings);
    InMemory.named("providers-test").enqueue("orders", "t", new byte[] {7});
    List<? extends Delivery> got = source.poll(1, Duration.ofSeconds(1));
    assertThat(got).hasSize(1);
    assertThat(got.get(0).message().payload()).containsExactly(7);
    assertThat(store).isSameAs(Dlq.sink("memory", settings));
    assertThat(Dlq.sourceProviders()).contains("memory");
  }

  @Test
  void anUnknownProviderNamesWhatWasFound() {
    assertThatThrownBy(() -> Dlq.store("kafka", Map.of()))
        .isInstanceOf(DlqException.class)
        .hasMessageContaining("no DeadLetterStoreProvider named 'kafka'")
        .hasMessageContaining("memory (dev.dlq.internal.memory.MemoryProviders$Stores)");
  }

  @Test
  void aStoreProviderSaysWhichSettingsItReads() {
    assertThat(Dlq.storeSettingKeys("memory")).containsExactly("instance");
    assertThatThrownBy(() -> Dlq.storeSettingKeys("kafka")).isInstanceOf(ProviderNotFoundException.class);
  }

  @Test
  void aMissingSettingIsNamed() {
    assertThatThrownBy(() -> Dlq.source("memory", Map.of("instance", "x")))
        .isInstanceOf(DlqException.class).hasMessageContaining("setting 'queue' is required by provider 'memory'");
  }

  @Test
  void settingsParseDurationsAndRejectGarbage() {
    Settings s = Settings.of("p", Map.of("a", "250ms", "b", "30s", "c", "PT1M", "d", "soon", "n", "x"));
    assertThat(s.getDuration("a", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
    assertThat(s.getDuration("b", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.getDuration("c", Duration.ZERO)).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.getDuration("missing", Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> s.getDuration("d", Duration.ZERO)).isInstanceOf(DlqException.class)
        .hasMessageContaining("must be a duration");
    assertThatThrownBy(() -> s.getInt("n", 1)).isInstanceOf(DlqException.class).hasMessageContaining("whole number");
    Settings b = Settings.of("p", Map.of("yes", "TRUE", "no", "false", "maybe", "perhaps"));
    assertThat(b.getBoolean("yes", false)).isTrue();
    assertThat(b.getBoolean("no", true)).isFalse();
    assertThat(b.getBoolean("missing", true)).isTrue();
    assertThatThrownBy(() -> b.getBoolean("maybe", true)).isInstanceOf(DlqException.class)
        .hasMessageContaining("must be true or false but was 'perhaps'");
  }
}
