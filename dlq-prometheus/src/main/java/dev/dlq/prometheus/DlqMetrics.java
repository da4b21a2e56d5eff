package dev.dlq.prometheus;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterStatus;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.Worker.CircuitState;
import dev.dlq.spi.DlqGauge;
import dev.dlq.spi.DlqObserver;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * dlq's metrics on a Prometheus registry (Prometheus Java client 1.x), as a {@link DlqObserver}:
 * give it to every worker ({@code Worker.builder(..).observer(metrics)}) and to stores that run
 * outside a worker (the admin server). One instance per registry; share it between the workers of
 * an application. Every message series carries the {@code source} label ({@code backend:destination}).
 * Thread-safe.
 *
 * <ul>
 *   <li>{@code dlq_messages_total{source,outcome}}: success, retry, dead_letter, released
 *   <li>{@code dlq_retries_total{source,type,error_class}}
 *   <li>{@code dlq_dead_lettered_total{source,type,error_class,reason}}: exactly once per death
 *   <li>{@code dlq_processing_seconds{source,type}}: processor time
 *   <li>{@code dlq_attempts_before_dead{source}}: attempts a message had when it died
 *   <li>{@code dlq_replays_total{store}}, {@code dlq_circuit_transitions_total{source,worker,to}},
 *       {@code dlq_settle_errors_total{source,action}}, {@code dlq_poll_errors_total{source}},
 *       {@code dlq_dead_letter_publish_failures_total{source}}
 *   <li>gauges ({@link DlqGauge}): {@code dlq_in_flight{source,worker}}, {@code dlq_circuit_state{source,worker}},
 *       {@code dlq_queue_ready{source}}, {@code dlq_queue_oldest_ready_seconds{source}},
 *       {@code dlq_dead_letters{store,status}}, and the progress of each replay job
 *       ({@link dev.dlq.ReplayRunner}): {@code dlq_replay_job_sent}, {@code dlq_replay_job_pending},
 *       {@code dlq_replay_job_died_again}, {@code dlq_replay_job_rate}, {@code dlq_replay_job_running},
 *       each {@code {store,job}}
 * </ul>
 */
public final class DlqMetrics implements DlqObserver {
  private final PrometheusRegistry registry;
  private final Counter messages;
  private final Counter retries;
  private final Counter deadLettered;
  private final Histogram processing;
  private final Histogram attemptsBeforeDead;
  private final Counter replays;
  private final Counter circuitTransitions;
  private final Counter settleErrors;
  private final Counter pollErrors;
  private final Counter publishFailures;
  private final Map<DlqGauge, Map<List<String>, Map<DoubleSupplier, Boolean>>> gauges = new EnumMap<>(DlqGauge.class);
  // data points of the hot path, looked up once per label set (labelValues allocates)
  private final ConcurrentHashMap<String, io.prometheus.metrics.core.datapoints.CounterDataPoint> successes =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, DistributionDataPoint>> processingBySource =
      new ConcurrentHashMap<>();

  private DlqMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    messages = Counter.builder().name("dlq_messages_total").help("Messages settled, by outcome")
        .labelNames("source", "outcome").register(registry);
    retries = Counter.builder().name("dlq_retries_total").help("Retries scheduled")
        .labelNames("source", "type", "error_class").register(registry);
    deadLettered = Counter.builder().name("dlq_dead_lettered_total")
        .help("Messages that became dead (once per death, on the state transition)")
        .labelNames("source", "type", "error_class", "reason").register(registry);
    processing = Histogram.builder().name("dlq_processing_seconds").help("Processor time")
        .classicOnly().classicUpperBounds(.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60)
        .labelNames("source", "type").register(registry);
    attemptsBeforeDead = Histogram.builder().name("dlq_attempts_before_dead").help("Attempts a message had when it died")
        .classicOnly().classicUpperBounds(1, 2, 3, 5, 8, 13, 21, 50).labelNames("source").register(registry);
    replays = Counter.builder().name("dlq_replays_total").help("Dead letters replayed").labelNames("store")
        .register(registry);
    circuitTransitions = Counter.builder().name("dlq_circuit_transitions_total").help("Circuit-breaker transitions")
        .labelNames("source", "worker", "to").register(registry);
    settleErrors = Counter.builder().name("dlq_settle_errors_total")
        .help("Failures to complete, retry, dead-letter or release a delivery").labelNames("source", "action")
        .register(registry);
    pollErrors = Counter.builder().name("dlq_poll_errors_total").help("Failed polls").labelNames("source")
        .register(registry);
    publishFailures = Counter.builder().name("dlq_dead_letter_publish_failures_total")
        .help("Dead letters recorded but whose downstream publish failed").labelNames("source").register(registry);
    for (DlqGauge g : DlqGauge.values()) {
      Map<List<String>, Map<DoubleSupplier, Boolean>> byLabels = new ConcurrentHashMap<>();
      gauges.put(g, byLabels);
      GaugeWithCallback.builder().name(g.metricName()).help(g.help())
          .labelNames(g.labelNames().toArray(new String[0]))
          .callback(cb -> byLabels.forEach((labels, suppliers) -> {
            double sum = 0;
            for (DoubleSupplier s : suppliers.keySet()) {
              sum += s.getAsDouble();
            }
            if (!suppliers.isEmpty()) {
              cb.call(sum, labels.toArray(new String[0]));
            }
          }))
          .register(registry);
    }
  }

  /**
   * Registers the dlq metrics on {@code registry}.
   *
   * @param registry the registry to register the dlq_* metrics on
   * @return the observer to give to workers and stores
   */
  public static DlqMetrics register(PrometheusRegistry registry) {
    return new DlqMetrics(registry);
  }

  /**
   * The dlq metrics on a new, private registry (tests, the demo).
   *
   * @return the observer, on its own registry
   */
  public static DlqMetrics create() {
    return new DlqMetrics(new PrometheusRegistry());
  }

  /**
   * The registry the metrics are on.
   *
   * @return the registry, for scraping
   */
  public PrometheusRegistry registry() {
    return registry;
  }

  private static String source(Message m) {
    return m.source().toString();
  }

  private DistributionDataPoint processing(String source, String type) {
    return processingBySource.computeIfAbsent(source, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(type, t -> processing.labelValues(source, t));
  }

  @Override
  public void succeeded(Message message, Duration took) {
    String source = source(message);
    io.prometheus.metrics.core.datapoints.CounterDataPoint p = successes.get(source);
    if (p == null) {
      p = successes.computeIfAbsent(source, s -> messages.labelValues(s, "success"));
    }
    p.inc();
    processing(source, message.type()).observe(seconds(took));
  }

  @Override
  public void retried(Message message, Attempt failed, Duration delay) {
    String source = source(message);
    messages.labelValues(source, "retry").inc();
    retries.labelValues(source, message.type(), failed.errorClass().name()).inc();
    processing(source, message.type()).observe(seconds(failed.duration()));
  }

  @Override
  public void deadLettered(DeadLetter dl, RecordResult result, Duration took) {
    String source = source(dl.message());
    messages.labelValues(source, "dead_letter").inc();
    if (!took.isZero()) {
      processing(source, dl.message().type()).observe(seconds(took));
    }
    if (result.becameDead()) {
      deadLettered.labelValues(source, dl.message().type(), dl.errorClass().name(), dl.reason().name()).inc();
      attemptsBeforeDead.labelValues(source).observe(dl.attempts());
    }
  }

  @Override
  public void released(Message message) {
    messages.labelValues(source(message), "released").inc();
  }

  @Override
  public void settleFailed(Message message, String action, RuntimeException error) {
    settleErrors.labelValues(source(message), action).inc();
  }

  @Override
  public void pollFailed(String source, RuntimeException error) {
    pollErrors.labelValues(source).inc();
  }

  @Override
  public void circuitChanged(String workerId, String source, CircuitState state) {
    circuitTransitions.labelValues(source, workerId, state.name().toLowerCase(Locale.ROOT)).inc();
  }

  @Override
  public void replayed(String store, long count) {
    replays.labelValues(store).inc(count);
  }

  @Override
  public void publishFailed(DeadLetter deadLetter, RuntimeException error) {
    publishFailures.labelValues(source(deadLetter.message())).inc();
  }

  @Override
  public AutoCloseable gauge(DlqGauge gauge, List<String> labelValues, DoubleSupplier value) {
    if (labelValues.size() != gauge.labelNames().size()) {
      throw new IllegalArgumentException(gauge + " takes labels " + gauge.labelNames() + " but was given " + labelValues);
    }
    List<String> key = List.copyOf(labelValues);
    Map<DoubleSupplier, Boolean> suppliers = gauges.get(gauge).computeIfAbsent(key, k -> new ConcurrentHashMap<>());
    suppliers.put(value, Boolean.TRUE);
    return () -> {
      suppliers.remove(value);
      gauges.get(gauge).computeIfPresent(key, (k, v) -> v.isEmpty() ? null : v);
    };
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  // ---- reading, for tests and summaries

  /**
   * The value of {@code dlq_dead_lettered_total} summed over its labels.
   *
   * @return the current value
   */
  public long deadLetteredTotal() {
    return sum(deadLettered);
  }

  /**
   * The value of {@code dlq_messages_total{outcome}} summed over sources.
   *
   * @param outcome the outcome
   * @return the current value
   */
  public long messages(String outcome) {
    return (long) messages.collect().getDataPoints().stream()
        .filter(d -> outcome.equals(d.getLabels().get("outcome"))).mapToDouble(d -> d.getValue()).sum();
  }

  /**
   * The value of {@code dlq_retries_total} summed over its labels.
   *
   * @return the current value
   */
  public long retriesTotal() {
    return sum(retries);
  }

  /**
   * The value of {@code dlq_dead_letter_publish_failures_total} summed over sources.
   *
   * @return the current value
   */
  public long publishFailures() {
    return sum(publishFailures);
  }

  /**
   * The value of {@code dlq_settle_errors_total{action}} summed over sources.
   *
   * @param action the action
   * @return the current value
   */
  public long settleErrors(String action) {
    return (long) settleErrors.collect().getDataPoints().stream()
        .filter(d -> action.equals(d.getLabels().get("action"))).mapToDouble(d -> d.getValue()).sum();
  }

  /**
   * The current value of {@code gauge} summed over its label sets.
   *
   * @param gauge the gauge
   * @return the current value
   */
  public double gaugeValue(DlqGauge gauge) {
    double sum = 0;
    for (Map<DoubleSupplier, Boolean> suppliers : gauges.get(gauge).values()) {
      for (DoubleSupplier s : suppliers.keySet()) {
        sum += s.getAsDouble();
      }
    }
    return sum;
  }

  /**
   * The current number of dead letters with {@code status} over every store reporting.
   *
   * @param status the status
   * @return the current value
   */
  public long deadLetters(DeadLetterStatus status) {
    double sum = 0;
    for (Map.Entry<List<String>, Map<DoubleSupplier, Boolean>> e : gauges.get(DlqGauge.DEAD_LETTERS).entrySet()) {
      if (e.getKey().get(1).equals(status.name().toLowerCase(Locale.ROOT))) {
        for (DoubleSupplier s : e.getValue().keySet()) {
          sum += s.getAsDouble();
        }
      }
    }
    return (long) sum;
  }

  private static long sum(Counter c) {
    return (long) c.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
  }
}
