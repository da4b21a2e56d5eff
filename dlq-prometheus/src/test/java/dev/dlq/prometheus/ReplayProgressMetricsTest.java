package dev.dlq.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.InMemory;
import dev.dlq.Message;
import dev.dlq.ReplayJob;
import dev.dlq.ReplayPlan;
import dev.dlq.ReplayRunner;
import dev.dlq.SourceRef;
import dev.dlq.contract.FakeTime;
import dev.dlq.spi.DlqGauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A replay job's progress (sent, pending, died again, rate, running) as dlq_replay_job_* gauges. */
class ReplayProgressMetricsTest {
  private final DlqMetrics metrics = DlqMetrics.create();

  private String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new PrometheusTextFormatWriter(false).write(out, metrics.registry().scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aRunningJobShowsItsProgressAfterEveryMessageAndItsEndAfterwards() {
    InMemory mem = InMemory.create();
    Instant t0 = Instant.parse("2026-02-01T08:00:00Z");
    for (int i = 0; i < 6; i++) {
      Message m = new Message("m-" + i, "order", new byte[] {1}, Map.of(), SourceRef.of("memory", "orders"), 3, t0);
      mem.store().record(DeadLetter.builder(m).errorType("x").deadAt(t0.plusSeconds(i)).build());
    }
    FakeTime time = new FakeTime();
    List<String> seen = new ArrayList<>();
    ReplayRunner runner = ReplayRunner.builder(mem.store()).clock(time).sleeper(time).observer(metrics).build();
    ReplayJob plan = runner.prepare(ReplayPlan.builder("alice").canary(1).canaryWait(Duration.ofSeconds(30))
        .stepDuration(Duration.ofSeconds(10)).maxRate(5).build());
    String labels = "{job=\"" + plan.id() + "\",store=\"memory\"}";
    assertThat(scrape()).contains("dlq_replay_job_pending" + labels + " 6.0", "dlq_replay_job_sent" + labels + " 0.0",
        "dlq_replay_job_running" + labels + " 0.0");
    time.onSleep((n, d) -> {
      if (d.equals(Duration.ofSeconds(30))) { // the canary is out and watched
        seen.add(scrape());
      }
    });
    ReplayJob done = runner.run(plan.id());

    assertThat(done.sent()).isEqualTo(6);
    assertThat(seen).singleElement().satisfies(text -> assertThat(text).contains(
        "dlq_replay_job_sent" + labels + " 1.0", "dlq_replay_job_pending" + labels + " 5.0",
        "dlq_replay_job_running" + labels + " 1.0", "dlq_replay_job_rate" + labels + " 1.0",
        "dlq_replay_job_died_again" + labels + " 0.0"));
    assertThat(scrape()).contains("dlq_replay_job_sent" + labels + " 6.0", "dlq_replay_job_pending" + labels + " 0.0",
        "dlq_replay_job_running" + labels + " 0.0", "dlq_replays_total{store=\"memory\"} 6.0");
    assertThat(metrics.gaugeValue(DlqGauge.REPLAY_JOB_SENT)).isEqualTo(6);

    runner.close();
    assertThat(scrape()).as("a closed runner stops reporting").doesNotContain("dlq_replay_job_sent{");
  }

  @Test
  void aJobThatStopsBecauseReplaysDieAgainSaysSo() {
    InMemory mem = InMemory.create();
    Instant t0 = Instant.parse("2026-02-01T08:00:00Z");
    List<DeadLetter> dls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Message m = new Message("d-" + i, "order", new byte[] {1}, Map.of(), SourceRef.of("memory", "orders"), 3, t0);
      DeadLetter dl = DeadLetter.builder(m).errorType("x").deadAt(t0.plusSeconds(i)).build();
      mem.store().record(dl);
      dls.add(dl);
    }
    FakeTime time = new FakeTime();
    try (ReplayRunner runner = ReplayRunner.builder(mem.store()).clock(time).sleeper(time).observer(metrics).build()) {
      ReplayJob plan = runner.prepare(ReplayPlan.builder("alice").canary(1).canaryWait(Duration.ofSeconds(30)).build());
      time.onSleep((n, d) -> {
        if (d.equals(Duration.ofSeconds(30))) { // the canary dies again
          DeadLetter first = dls.get(0);
          mem.store().record(DeadLetter.builder(first.message()).errorType("x").deadAt(t0.plusSeconds(99)).build());
        }
      });
      ReplayJob stopped = runner.run(plan.id());
      assertThat(stopped.state()).isEqualTo(ReplayJob.State.STOPPED);
      String labels = "{job=\"" + plan.id() + "\",store=\"memory\"}";
      assertThat(scrape()).contains("dlq_replay_job_died_again" + labels + " 1.0", "dlq_replay_job_sent" + labels + " 1.0",
          "dlq_replay_job_pending" + labels + " 3.0", "dlq_replay_job_running" + labels + " 0.0",
          "dlq_replay_job_rate" + labels + " 0.0");
    }
  }
}
