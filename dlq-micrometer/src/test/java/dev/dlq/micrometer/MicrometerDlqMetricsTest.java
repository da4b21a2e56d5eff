package dev.dlq.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.InMemory;
import dev.dlq.InvalidMessageException;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.spi.DlqGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MicrometerDlqMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MicrometerDlqMetrics metrics = MicrometerDlqMetrics.of(registry);

  private double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; meters: " + registry.getMetersAsString());
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aWorkerReportsItsOutcomesAsMeters() throws Exception {
    InMemory mem = InMemory.create();
    mem.enqueue("orders", "ok", "1".getBytes());
    mem.enqueue("orders", "bad", "2".getBytes());
    mem.enqueue("orders", "flaky", "3".getBytes());
    try (Worker w = Worker.builder(mem.source("orders"), m -> {
      if (m.type().equals("bad")) {
        throw new InvalidMessageException("no amount");
      }
      if (m.type().equals("flaky") && m.attempt() == 1) {
        throw new java.io.IOException("timeout");
      }
      return Outcome.success();
    }).retryPolicy(RetryPolicy.fixed(Duration.ZERO, 3)).observer(metrics).workerId("w-1")
        .pollWait(Duration.ofMillis(50)).build().start()) {
      await("drained", () -> counter("dlq.messages", "outcome", "success") == 2
          && counter("dlq.dead.lettered", "reason", "INVALID") == 1
          // the in-flight gauge drops after the outcome is counted
          && registry.find("dlq.in.flight").tags("worker", "w-1", "source", "orders").gauge().value() == 0);
      assertThat(counter("dlq.messages", "source", "memory:orders", "outcome", "retry")).isEqualTo(1);
      assertThat(counter("dlq.retries", "type", "flaky", "error_class", "RECOVERABLE")).isEqualTo(1);
      assertThat(counter("dlq.dead.lettered", "source", "memory:orders", "type", "bad", "error_class", "USER_ERROR"))
          .isEqualTo(1);
      assertThat(registry.find("dlq.processing").tags("type", "ok").timer().count()).isEqualTo(1);
      assertThat(registry.find("dlq.attempts.before.dead").summary().count()).isEqualTo(1);
      assertThat(registry.find("dlq.in.flight").tags("worker", "w-1", "source", "orders").gauge().value()).isZero();
    }
  }

  @Test
  void gaugesSumTheirSuppliersAndFallToZeroWhenClosed() throws Exception {
    AutoCloseable a = metrics.gauge(DlqGauge.DEAD_LETTERS, List.of("postgres:dlq", "pending"), () -> 5);
    AutoCloseable b = metrics.gauge(DlqGauge.DEAD_LETTERS, List.of("postgres:dlq", "pending"), () -> 2);
    assertThat(registry.find("dlq.dead.letters").tags("store", "postgres:dlq", "status", "pending").gauge().value())
        .isEqualTo(7);
    a.close();
    b.close();
    assertThat(registry.find("dlq.dead.letters").gauge().value()).isZero();
  }
}
