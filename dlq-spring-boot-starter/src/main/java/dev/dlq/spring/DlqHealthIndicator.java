package dev.dlq.spring;

import dev.dlq.Worker;
import dev.dlq.spi.DlqGauge;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The actuator health of dlq's workers (component {@code dlq}): per queue, the circuit breaker's
 * state, the messages in flight, and the ready tasks with the age of the oldest, as the queue's
 * source last measured them (no query of its own). DOWN when a breaker is open (the processor's
 * dependency is failing) or, with {@code dlq.health.max-oldest-ready}, when a task has waited
 * longer; OUT_OF_SERVICE while the workers are not running. Put it in a readiness group rather than
 * liveness: restarting the application does not mend a failing dependency. Thread-safe.
 */
public final class DlqHealthIndicator implements HealthIndicator {
  private final DlqWorkers workers;
  private final Duration maxOldestReady;

  /**
   * The health of {@code workers}.
   *
   * @param workers the application's workers
   * @param maxOldestReady the age past which a waiting task makes its queue DOWN; null for none
   */
  public DlqHealthIndicator(DlqWorkers workers, Duration maxOldestReady) {
    this.workers = workers;
    this.maxOldestReady = maxOldestReady;
  }

  /**
   * The workers' health, with one detail per queue.
   *
   * @return UP, DOWN or OUT_OF_SERVICE with details
   */
  @Override
  public Health health() {
    if (!workers.isRunning()) {
      return Health.outOfService().withDetail("reason", "dlq workers are not running").build();
    }
    boolean down = false;
    Map<String, Object> queues = new LinkedHashMap<>();
    for (Map.Entry<String, DlqWorkers.Running> e : workers.running().entrySet()) {
      Worker w = e.getValue().worker();
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("worker", w.id());
      d.put("circuit", w.circuitState().name());
      d.put("inFlight", w.inFlight());
      OptionalDouble ready = e.getValue().gauges().read(DlqGauge.QUEUE_READY);
      OptionalDouble oldest = e.getValue().gauges().read(DlqGauge.QUEUE_OLDEST_READY_SECONDS);
      ready.ifPresent(v -> d.put("ready", (long) v));
      oldest.ifPresent(v -> d.put("oldestReadySeconds", v));
      if (w.circuitState() == Worker.CircuitState.OPEN) {
        down = true;
        d.put("problem", "circuit breaker open: the processor's failures look like an outage; polling is paused");
      } else if (maxOldestReady != null && oldest.isPresent() && oldest.getAsDouble() > maxOldestReady.toMillis() / 1000.0) {
        down = true;
        d.put("problem", "the oldest ready task has waited longer than dlq.health.max-oldest-ready (" + maxOldestReady + ")");
      }
      queues.put(e.getKey(), d);
    }
    return (down ? Health.down() : Health.up()).withDetail("queues", queues).build();
  }
}
