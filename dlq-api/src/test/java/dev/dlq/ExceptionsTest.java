package dev.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.spi.Checks;
import dev.dlq.spi.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed exceptions carry their context through getters; one checks helper speaks for every module. */
class ExceptionsTest {
  @Test
  void anUnknownProviderNamesWhatWasFound() {
    assertThatThrownBy(() -> Dlq.store("nope", Map.of()))
        .isInstanceOfSatisfying(ProviderNotFoundException.class, e -> {
          assertThat(e.kind()).isEqualTo("DeadLetterStoreProvider");
          assertThat(e.name()).isEqualTo("nope");
          assertThat(e.found()).anySatisfy(f -> assertThat(f).startsWith("memory ("));
          assertThat(e.getMessage()).contains("no DeadLetterStoreProvider named 'nope'").contains("dlq-nope");
        })
        .isInstanceOf(DlqException.class);
  }

  @Test
  void aBadSettingNamesItself() {
    Settings s = Settings.of("memory", Map.of("lease", "soon", "n", "x"));
    assertThatThrownBy(() -> s.getDuration("lease", Duration.ZERO))
        .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.setting()).isEqualTo("lease"))
        .hasMessageContaining("must be a duration");
    assertThatThrownBy(() -> s.getInt("n", 0)).isInstanceOfSatisfying(InvalidSettingException.class,
        e -> assertThat(e.getCause()).isInstanceOf(NumberFormatException.class));
    assertThatThrownBy(() -> s.require("queue")).isInstanceOfSatisfying(InvalidSettingException.class,
        e -> assertThat(e.setting()).isEqualTo("queue"));
  }

  @Test
  void theOtherExceptionsKeepTheirContextAndCause() {
    Exception vendor = new java.io.IOException("connection refused");
    StoreUnavailableException down = new StoreUnavailableException("postgres", "could not claim", vendor);
    assertThat(down.backend()).isEqualTo("postgres");
    assertThat(down.getCause()).isSameAs(vendor);
    LeaseLostException lost = new LeaseLostException("t-1", "orders", "lease lost");
    assertThat(lost.messageId()).isEqualTo("t-1");
    assertThat(lost.source()).isEqualTo("orders");
    SchemaMissingException missing = new SchemaMissingException("dlq", "PostgresSchema.migrate(dataSource)", "missing");
    assertThat(missing.schema()).isEqualTo("dlq");
    assertThat(missing.fix()).contains("migrate");
  }

  @Test
  void argumentChecksThrowIllegalArgumentWithOneMessageForm() {
    assertThatThrownBy(() -> Checks.notNull(null, "sink")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sink must not be null");
    assertThatThrownBy(() -> Checks.notNegative(null, "delay")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must not be null");
    assertThatThrownBy(() -> Checks.between(0, 1, 10, "calls")).hasMessage("calls must be between 1 and 10 but was 0");
    assertThatThrownBy(() -> Checks.positive(Duration.ZERO, "lease")).hasMessage("lease must be > 0 but was PT0S");
  }
}
