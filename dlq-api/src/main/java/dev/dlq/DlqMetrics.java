package dev.dlq;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The metrics every worker and store reports, on a Prometheus registry (Prometheus Java client 1.x).
 * One instance per registry; share it between workers of one application (each metric is labelled
 * where it matters). Thread-safe.
 *
 * <ul>
 *   <li>{@code dlq_messages_total{outcome}}: success, retry, dead_letter, released
 *   <li>{@code dlq_retries_total{type,error_class}}
 *   <li>{@code dlq_dead_lettered_total{type,error_class,reason}}: exactly once per death
 *   <li>{@code dlq_processing_seconds{type}}: processor time
 *   <li>{@code dlq_attempts_before_dead}: attempts a message had when it died
 *   <li>{@code dlq_dead_letters{status}}: current dead letters, set by stores and monitors
 *   <li>{@code dlq_replays_total}, {@code dlq_in_flight}, {@code dlq_circuit_state},
 *       {@code dlq_circuit_transitions_total{to}}, {@code dlq_settle_errors_total{action}},
 *       {@code dlq_poll_errors_total}, {@code dlq_dead_letter_publish_failures_total}
 * </ul>
 */
public final class DlqMetrics {
  private final PrometheusRegistry registry;
  private final Counter messages;
  private final Counter retries;
  private final Counter deadLettered;
  private final Histogram processing;
  private final Histogram attemptsBeforeDead;
  private final Gauge deadLetters;
  private final Counter replays;
  private final java.util.Set<java.util.function.IntSupplier> inFlightSources = java.util.concurrent.ConcurrentHashMap.newKeySet();
  // data points of the hot path, looked up once (labelValues allocates)
  private final CounterDataPoint successes;
  private final CounterDataPoint retriedMessages;
  private final CounterDataPoint deadLetterMessages;
  private final java.util.concurrent.ConcurrentHashMap<String, DistributionDataPoint> processingByType =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Gauge circuitState;
  private final Counter circuitTransitions;
  private final Counter settleErrors;
  private final Counter pollErrors;
  private final Counter publishFailures;

  private DlqMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    messages = Counter.builder().name("dlq_messages_total").help("Messages settled, by outcome")
        .labelNames("outcome").register(registry);
    retries = Counter.builder().name("dlq_retries_total").help("Retries scheduled")
        .labelNames("type", "error_class").register(registry);
    deadLettered = Counter.builder().name("dlq_dead_lettered_total")
        .help("Messages that became dead (once per death, on the state transition)")
        .labelNames("type", "error_class", "reason").register(registry);
    processing = Histogram.builder().name("dlq_processing_seconds").help("Processor time")
        .classicOnly().classicUpperBounds(.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60)
        .labelNames("type").register(registry);
    attemptsBeforeDead = Histogram.builder().name("dlq_attempts_before_dead").help("Attempts a message had when it died")
        .classicOnly().classicUpperBounds(1, 2, 3, 5, 8, 13, 21, 50).register(registry);
    deadLetters = Gauge.builder().name("dlq_dead_letters").help("Current dead letters by status")
        .labelNames("status").register(registry);
    replays = Counter.builder().name("dlq_replays_total").help("Dead letters replayed").register(registry);
    GaugeWithCallback.builder().name("dlq_in_flight").help("Messages claimed and not yet settled")
        .callback(cb -> cb.call(inFlightSources.stream().mapToInt(java.util.function.IntSupplier::getAsInt).sum()))
        .register(registry);
    circuitState = Gauge.builder().name("dlq_circuit_state").help("0 closed, 1 open, 2 half-open")
        .labelNames("worker").register(registry);
    circuitTransitions = Counter.builder().name("dlq_circuit_transitions_total").help("Circuit-breaker transitions")
        .labelNames("to").register(registry);
    settleErrors = Counter.builder().name("dlq_settle_errors_total")
        .help("Failures to complete, retry, dead-letter or release a delivery").labelNames("action").register(registry);
    pollErrors = Counter.builder().name("dlq_poll_errors_total").help("Failed polls").register(registry);
    publishFailures = Counter.builder().name("dlq_dead_letter_publish_failures_total")
        .help("Dead letters recorded but whose downstream publish failed").register(registry);
    successes = messages.labelValues("success");
    retriedMessages = messages.labelValues("retry");
    deadLetterMessages = messages.labelValues("dead_letter");
  }

  private DistributionDataPoint processing(String type) {
    DistributionDataPoint p = processingByType.get(type);
    if (p == null) {
      p = processingByType.computeIfAbsent(type, processing::labelValues);
    }
    return p;
  }

  /** Registers the dlq metrics on {@code registry}. */
  public static DlqMetrics register(PrometheusRegistry registry) {
    return new DlqMetrics(registry);
  }

  /** The dlq metrics on a new, private registry (tests, the demo). */
  public static DlqMetrics create() {
    return new DlqMetrics(new PrometheusRegistry());
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Counts {@code n} replayed dead letters (called by stores). */
  public void replayed(long n) {
    replays.inc(n);
  }

  /** Sets the current number of dead letters with {@code status} (called by stores and monitors). */
  public void deadLetters(DeadLetterStatus status, long n) {
    deadLetters.labelValues(status.name().toLowerCase(java.util.Locale.ROOT)).set(n);
  }

  /** Counts a dead letter whose state moved but whose downstream publish failed. */
  public void publishFailed() {
    publishFailures.inc();
  }

  /** Counts a death outside a worker (a lease reaper, an advisory): exactly once per death. */
  public void deadLettered(DeadLetter dl) {
    deadLettered.labelValues(dl.message().type(), dl.errorClass().name(), dl.reason().name()).inc();
    attemptsBeforeDead.observe(dl.attempts());
  }

  /** Records a success that took {@code seconds} of processor time (called by workers). */
  public void succeeded(String type, double seconds) {
    successes.inc();
    processing(type).observe(seconds);
  }

  /** Records a retry (called by workers). */
  public void retried(String type, ErrorClass errorClass, double seconds) {
    retriedMessages.inc();
    retries.labelValues(type, errorClass.name()).inc();
    processing(type).observe(seconds);
  }

  /** Records a settled dead-lettering; counts the death only when {@code becameDead} (called by workers). */
  public void deadLettered(DeadLetter dl, boolean becameDead, double seconds) {
    deadLetterMessages.inc();
    if (seconds >= 0) {
      processing(dl.message().type()).observe(seconds);
    }
    if (becameDead) {
      deadLettered(dl);
    }
  }

  /** Records a message handed back untouched. */
  public void released() {
    messages.labelValues("released").inc();
  }

  /** Records a failed settle action: complete, retry, dead_letter or release. */
  public void settleFailed(String action) {
    settleErrors.labelValues(action).inc();
  }

  /** Records a failed poll. */
  public void pollFailed() {
    pollErrors.inc();
  }

  /**
   * Adds a source of the in-flight gauge (a worker's count of claimed, unsettled messages); the gauge
   * reports the sum over its sources when scraped, so the hot path pays nothing for it.
   *
   * @return a handle that removes the source again
   */
  public AutoCloseable trackInFlight(java.util.function.IntSupplier source) {
    inFlightSources.add(source);
    return () -> inFlightSources.remove(source);
  }

  /** Records a circuit-breaker transition of {@code worker} to {@code state} (0 closed, 1 open, 2 half-open). */
  public void circuit(String worker, String to, int state) {
    circuitState.labelValues(worker).set(state);
    circuitTransitions.labelValues(to).inc();
  }

  /** The value of {@code dlq_dead_lettered_total} summed over its labels (tests, summaries). */
  public long deadLetteredTotal() {
    return (long) deadLettered.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
  }

  /** The value of {@code dlq_messages_total{outcome}}. */
  public long messages(String outcome) {
    return (long) messages.labelValues(outcome).get();
  }

  /** The value of {@code dlq_dead_letter_publish_failures_total}. */
  public long publishFailures() {
    return (long) publishFailures.get();
  }

  /** The value of {@code dlq_in_flight}. */
  public long inFlight() {
    return inFlightSources.stream().mapToInt(java.util.function.IntSupplier::getAsInt).sum();
  }

  /** The value of {@code dlq_settle_errors_total{action}}. */
  public long settleErrors(String action) {
    return (long) settleErrors.labelValues(action).get();
  }

  /** The value of {@code dlq_retries_total} summed over its labels. */
  public long retriesTotal() {
    return (long) retries.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
  }
}
