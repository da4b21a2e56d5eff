package dev.dlq.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.DeadLetterFilter;
import dev.dlq.InMemory;
import dev.dlq.InvalidMessageException;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.spi.DlqGauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class DlqMetricsTest {
  private final DlqMetrics metrics = DlqMetrics.create();

  private String scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aWorkerReportsEachOutcomeOnceWithItsSourceLabel() throws Exception {
    InMemory mem = InMemory.create();
    mem.enqueue("orders", "ok", "1".getBytes());
    mem.enqueue("orders", "bad", "2".getBytes());
    mem.enqueue("orders", "flaky", "3".getBytes());
    try (Worker w = Worker.builder(mem.source("orders"), m -> {
      switch (m.type()) {
        case "bad": throw new InvalidMessageException("no amount");
        case "flaky": if (m.attempt() == 1) throw new java.io.IOException("timeout");
        default: return Outcome.success();
      }
    }).retryPolicy(RetryPolicy.fixed(Duration.ZERO, 3)).observer(metrics).workerId("w-1").pollWait(Duration.ofMillis(50))
        .build().start()) {
      // the in-flight gauge drops after the outcome is counted, so wait for both
      await("drained", () -> metrics.messages("success") == 2 && metrics.deadLetteredTotal() == 1
          && metrics.gaugeValue(DlqGauge.IN_FLIGHT) == 0);
      String text = scrape();
      assertThat(text)
          .contains("dlq_messages_total{outcome=\"success\",source=\"memory:orders\"} 2.0")
          .contains("dlq_messages_total{outcome=\"retry\",source=\"memory:orders\"} 1.0")
          .contains("dlq_messages_total{outcome=\"dead_letter\",source=\"memory:orders\"} 1.0")
          .contains("dlq_dead_lettered_total{error_class=\"USER_ERROR\",reason=\"INVALID\",source=\"memory:orders\",type=\"bad\"} 1.0")
          .contains("dlq_retries_total{error_class=\"RECOVERABLE\",source=\"memory:orders\",type=\"flaky\"} 1.0")
          .contains("dlq_in_flight{source=\"orders\",worker=\"w-1\"} 0.0")
          .contains("dlq_circuit_state{source=\"orders\",worker=\"w-1\"} 0.0");
      assertThat(mem.store().count(DeadLetterFilter.all())).isEqualTo(1);
    }
    assertThat(scrape()).as("a closed worker stops reporting its gauges").doesNotContain("worker=\"w-1\"} 0.0\ndlq_in");
    assertThat(metrics.gaugeValue(DlqGauge.IN_FLIGHT)).isZero();
  }

  @Test
  void gaugesSumTheirSourcesAndStopWhenClosed() throws Exception {
    AutoCloseable a = metrics.gauge(DlqGauge.QUEUE_READY, List.of("postgres:orders"), () -> 3);
    AutoCloseable b = metrics.gauge(DlqGauge.QUEUE_READY, List.of("postgres:orders"), () -> 4);
    assertThat(scrape()).contains("dlq_queue_ready{source=\"postgres:orders\"} 7.0");
    a.close();
    assertThat(scrape()).contains("dlq_queue_ready{source=\"postgres:orders\"} 4.0");
    b.close();
    assertThat(scrape()).doesNotContain("dlq_queue_ready{");
    assertThatThrownBy(() -> metrics.gauge(DlqGauge.DEAD_LETTERS, List.of("only-one"), () -> 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[store, status]");
  }

  @Test
  void theInFlightGaugeFollowsTheWorker() throws Exception {
    InMemory mem = InMemory.create();
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < 3; i++) {
      mem.enqueue("q", "t", new byte[] {(byte) i});
    }
    try (Worker w = Worker.builder(mem.source("q"), m -> {
      release.await();
      return Outcome.success();
    }).observer(metrics).concurrency(3).workerId("w-2").pollWait(Duration.ofMillis(50)).build().start()) {
      await("three in flight", () -> metrics.gaugeValue(DlqGauge.IN_FLIGHT) == 3);
      assertThat(scrape()).contains("dlq_in_flight{source=\"q\",worker=\"w-2\"} 3.0");
      release.countDown();
      await("drained", () -> metrics.messages("success") == 3);
    }
  }
}
