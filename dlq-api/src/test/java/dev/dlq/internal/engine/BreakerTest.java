package dev.dlq.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.CircuitBreakerConfig;
import dev.dlq.Worker.CircuitState;
import dev.dlq.internal.engine.Breaker.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The breaker on a fake clock: short first pause, half-open probe, growing pause, no budget spent while open. */
class BreakerTest {
  /** A clock the test moves. */
  static final class FakeClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final FakeClock clock = new FakeClock();
  private final List<CircuitState> changes = new ArrayList<>();
  private final Breaker breaker = new Breaker(CircuitBreakerConfig.defaults(), clock, changes::add);

  private void failRecoverably(int n) {
    for (int i = 0; i < n; i++) {
      breaker.record(true);
    }
  }

  @Test
  void itIsOnByDefaultAndOpensWhenRecoverableFailuresDominate() {
    assertThat(CircuitBreakerConfig.defaults().enabled()).isTrue();
    for (int i = 0; i < 9; i++) {
      assertThat(breaker.record(true)).as("below the minimum of calls it stays closed").isEqualTo(Verdict.AS_DECIDED);
    }
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.record(true)).as("the failure that opens it hands its message back").isEqualTo(Verdict.HAND_BACK);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.record(true)).as("failures while open hand their messages back").isEqualTo(Verdict.HAND_BACK);
    assertThat(breaker.openMillisLeft()).isEqualTo(1000);
    assertThat(breaker.record(false)).isEqualTo(Verdict.AS_DECIDED);
  }

  @Test
  void successesKeepItClosed() {
    for (int i = 0; i < 100; i++) {
      breaker.record(i % 2 == 0);
    }
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(changes).isEmpty();
  }

  @Test
  void theFirstPauseIsAboutASecondThenOneProbe() {
    failRecoverably(10);
    assertThat(breaker.pauseMillis()).isEqualTo(1000);
    clock.advance(Duration.ofMillis(999));
    assertThat(breaker.pauseMillis()).isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(breaker.pauseMillis()).as("the pause is over: half-open").isZero();
    assertThat(breaker.probing()).isTrue();
    assertThat(breaker.openMillisLeft()).as("half-open is not open").isZero();
    assertThat(breaker.record(false)).as("a successful probe").isEqualTo(Verdict.AS_DECIDED);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(changes).containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED);
  }

  @Test
  void thePauseGrowsWhileTheOutageLastsButStaysShortEnoughToResumeQuickly() {
    failRecoverably(10);
    List<Long> pauses = new ArrayList<>();
    for (int probe = 0; probe < 5; probe++) {
      long pause = breaker.pauseMillis();
      pauses.add(pause);
      clock.advance(Duration.ofMillis(pause));
      assertThat(breaker.pauseMillis()).isZero();
      assertThat(breaker.record(true)).as("a failed probe reopens the circuit").isEqualTo(Verdict.PROBE_FAILED);
      assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }
    assertThat(pauses).containsExactly(1000L, 1500L, 1500L, 1500L, 1500L);
    clock.advance(Duration.ofMillis(1500));
    assertThat(breaker.pauseMillis()).isZero();
    breaker.record(false);
    failRecoverably(10);
    assertThat(breaker.pauseMillis()).as("after recovery the pause starts short again").isEqualTo(1000);
  }

  @Test
  void aDisabledBreakerNeverOpens() {
    Breaker off = new Breaker(CircuitBreakerConfig.disabled(), clock, changes::add);
    for (int i = 0; i < 100; i++) {
      assertThat(off.record(true)).isEqualTo(Verdict.AS_DECIDED);
    }
    assertThat(off.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(off.pauseMillis()).isZero();
  }
}
