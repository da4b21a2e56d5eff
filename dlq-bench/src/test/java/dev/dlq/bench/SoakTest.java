package dev.dlq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The soak's options and its percentile arithmetic. */
class SoakTest {
  @Test
  void defaultsSmokeAndExplicitSettings() {
    assertThat(Soak.Settings.of(Map.of())).isEqualTo(new Soak.Settings(600, 500, 5, 60, 8, null));
    assertThat(Soak.Settings.of(Map.of("smoke", "true"))).isEqualTo(new Soak.Settings(6, 200, 5, 2, 8, null));
    assertThat(Soak.Settings.of(Drain.parse(new String[] {"--minutes", "30", "--rate", "1_000", "--failing", "10",
        "--interval", "30", "--concurrency", "16", "--postgres-url", "embedded"})))
        .isEqualTo(new Soak.Settings(1800, 1000, 10, 30, 16, "embedded"));
    assertThat(Soak.Settings.of(Map.of("seconds", "45"))).extracting(Soak.Settings::seconds).isEqualTo(45L);
    assertThat(Soak.Settings.of(Map.of("help", "true"))).isNull();
  }

  @Test
  void badOptionsAreRefusedInOneLine() {
    assertThatThrownBy(() -> Soak.Settings.of(Map.of("rate", "-3")))
        .hasMessage("--rate must be a number from 1 to 100000 but was '-3'");
    assertThatThrownBy(() -> Soak.Settings.of(Map.of("failing", "101")))
        .hasMessage("--failing must be a number from 0 to 100 but was '101'");
    assertThatThrownBy(() -> Soak.Settings.of(Map.of("minutes", "0"))).hasMessageContaining("at least 1 s");
    assertThatThrownBy(() -> Soak.Settings.of(Map.of("n", "5"))).hasMessage("unknown option --n (see --help)");
  }

  @Test
  void percentilesByNearestRank() {
    Soak.Latencies l = new Soak.Latencies();
    for (int i = 100; i >= 1; i--) {
      l.add(i);
    }
    long[] v = l.drain();
    assertThat(Soak.Latencies.percentile(v, 50)).isEqualTo(50);
    assertThat(Soak.Latencies.percentile(v, 99)).isEqualTo(99);
    assertThat(Soak.Latencies.percentile(v, 100)).isEqualTo(100);
    assertThat(l.drain()).isEmpty();
    assertThat(Soak.Latencies.percentile(new long[0], 99)).isZero();
  }
}
