package dev.dlq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pickup benchmark's options. */
class PickupTest {
  private static final List<String> DEFAULT_SYSTEMS = List.of("dlq-postgres", "db-scheduler", "db-scheduler-immediate");

  @Test
  void defaultsSmokeAndExplicitSettings() {
    assertThat(Pickup.Settings.of(Map.of()))
        .isEqualTo(new Pickup.Settings(1000, 20, 100, DEFAULT_SYSTEMS, 1000, 1, 60, null, false));
    assertThat(Pickup.Settings.of(Map.of("smoke", "true")))
        .isEqualTo(new Pickup.Settings(20, 3, 20, DEFAULT_SYSTEMS, 1000, 1, 60, null, true));
    assertThat(Pickup.Settings.of(Drain.parse(new String[] {"--n", "2_000", "--warmup", "0", "--spacing-ms", "250",
        "--systems", "dlq-postgres-poll, dlq-postgres", "--db-scheduler-poll-ms", "500", "--seed", "7", "--timeout", "5",
        "--postgres-url", "embedded"})))
        .isEqualTo(new Pickup.Settings(2000, 0, 250, List.of("dlq-postgres-poll", "dlq-postgres"), 500, 7, 5,
            "embedded", false));
    assertThat(Pickup.Settings.of(Map.of("help", "true"))).isNull();
  }

  @Test
  void badOptionsAreRefusedInOneLine() {
    assertThatThrownBy(() -> Pickup.Settings.of(Map.of("n", "0")))
        .hasMessage("--n must be a number from 1 to 1000000 but was '0'");
    assertThatThrownBy(() -> Pickup.Settings.of(Map.of("systems", "dlq-postgres,river")))
        .hasMessage("--systems: unknown system 'river'; known: dlq-postgres,dlq-postgres-poll,db-scheduler,"
            + "db-scheduler-immediate");
    assertThatThrownBy(() -> Pickup.Settings.of(Map.of("rate", "5"))).hasMessage("unknown option --rate (see --help)");
  }
}
