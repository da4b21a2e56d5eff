package dev.dlq.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.InMemory;
import dev.dlq.Message;
import dev.dlq.ReplayJob;
import dev.dlq.ReplayPlan;
import dev.dlq.ReplayRunner;
import dev.dlq.SourceRef;
import dev.dlq.contract.FakeTime;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A replay job's progress as dlq.replay.job.* gauges tagged store and job. */
class ReplayProgressMeterTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MicrometerDlqMetrics metrics = MicrometerDlqMetrics.of(registry);

  private double gauge(String name, String job) {
    Gauge g = registry.find(name).tags("store", "memory", "job", job).gauge();
    assertThat(g).as(name + " for " + job + "; meters: " + registry.getMetersAsString()).isNotNull();
    return g.value();
  }

  @Test
  void aRunningJobShowsItsProgress() {
    InMemory mem = InMemory.create();
    Instant t0 = Instant.parse("2026-02-01T08:00:00Z");
    for (int i = 0; i < 5; i++) {
      Message m = new Message("m-" + i, "order", new byte[] {1}, Map.of(), SourceRef.of("memory", "orders"), 3, t0);
      mem.store().record(DeadLetter.builder(m).errorType("x").deadAt(t0.plusSeconds(i)).build());
    }
    FakeTime time = new FakeTime();
    List<double[]> atCanary = new ArrayList<>();
    try (ReplayRunner runner = ReplayRunner.builder(mem.store()).clock(time).sleeper(time).observer(metrics).build()) {
      ReplayJob plan = runner.prepare(ReplayPlan.builder("alice").canary(1).canaryWait(Duration.ofSeconds(30)).build());
      assertThat(gauge("dlq.replay.job.pending", plan.id())).isEqualTo(5);
      time.onSleep((n, d) -> {
        if (d.equals(Duration.ofSeconds(30))) {
          atCanary.add(new double[] {gauge("dlq.replay.job.sent", plan.id()), gauge("dlq.replay.job.pending", plan.id()),
              gauge("dlq.replay.job.running", plan.id())});
        }
      });
      runner.run(plan.id());
      assertThat(atCanary).singleElement().satisfies(v -> assertThat(v).containsExactly(1, 4, 1));
      assertThat(gauge("dlq.replay.job.sent", plan.id())).isEqualTo(5);
      assertThat(gauge("dlq.replay.job.pending", plan.id())).isZero();
      assertThat(gauge("dlq.replay.job.died.again", plan.id())).isZero();
      assertThat(gauge("dlq.replay.job.running", plan.id())).isZero();
    }
  }
}
