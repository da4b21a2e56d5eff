package dev.dlq.micrometer;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.Worker.CircuitState;
import dev.dlq.spi.DlqGauge;
import dev.dlq.spi.DlqObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * dlq's metrics on a Micrometer {@link MeterRegistry}, as a {@link DlqObserver}: give it to every
 * worker ({@code Worker.builder(..).observer(metrics)}). The meters are the Prometheus module's
 * series under Micrometer's naming, so a Prometheus registry renders the same names:
 *
 * <ul>
 *   <li>{@code dlq.messages{source,outcome}}: success, retry, dead_letter, released
 *   <li>{@code dlq.retries{source,type,error_class}}
 *   <li>{@code dlq.dead.lettered{source,type,error_class,reason}}: exactly once per death
 *   <li>{@code dlq.processing} (a timer) {@code {source,type}}
 *   <li>{@code dlq.attempts.before.dead{source}} (a distribution summary)
 *   <li>{@code dlq.replays{store}}, {@code dlq.circuit.transitions{source,worker,to}},
 *       {@code dlq.settle.errors{source,action}}, {@code dlq.poll.errors{source}},
 *       {@code dlq.dead.letter.publish.failures{source}}
 *   <li>gauges, one per {@link DlqGauge}: {@code dlq.in.flight}, {@code dlq.circuit.state},
 *       {@code dlq.queue.ready}, {@code dlq.queue.oldest.ready.seconds}, {@code dlq.dead.letters}, and per
 *       replay job (tags {@code store}, {@code job}) {@code dlq.replay.job.sent}, {@code .pending},
 *       {@code .died.again}, {@code .rate}, {@code .running}
 * </ul>
 *
 * <p>Thread-safe; one instance per registry.
 */
public final class MicrometerDlqMetrics implements DlqObserver {
  private final MeterRegistry registry;
  private final Map<String, Counter> successes = new ConcurrentHashMap<>();
  private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();
  private final Map<List<String>, GaugeSum> gauges = new ConcurrentHashMap<>();

  private MicrometerDlqMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * dlq's meters on {@code registry}.
   *
   * @param registry the registry to register the dlq.* meters on
   * @return the observer to give to workers and stores
   * @throws IllegalArgumentException when {@code registry} is null
   */
  public static MicrometerDlqMetrics of(MeterRegistry registry) {
    if (registry == null) {
      throw new IllegalArgumentException("registry must not be null");
    }
    return new MicrometerDlqMetrics(registry);
  }

  /**
   * The registry the meters are on.
   *
   * @return the registry
   */
  public MeterRegistry registry() {
    return registry;
  }

  private static String source(Message m) {
    return m.source().toString();
  }

  private Counter messages(String source, String outcome) {
    return Counter.builder("dlq.messages").description("Messages settled, by outcome")
        .tags("source", source, "outcome", outcome).register(registry);
  }

  private Timer processing(String source, String type) {
    List<String> key = List.of(source, type);
    Timer t = timers.get(key);
    if (t == null) {
      t = timers.computeIfAbsent(key, k -> Timer.builder("dlq.processing").description("Processor time")
          .tags("source", source, "type", type).register(registry));
    }
    return t;
  }

  @Override
  public void succeeded(Message message, Duration took) {
    String source = source(message);
    Counter c = successes.get(source);
    if (c == null) {
      c = successes.computeIfAbsent(source, s -> messages(s, "success"));
    }
    c.increment();
    processing(source, message.type()).record(took);
  }

  @Override
  public void retried(Message message, Attempt failed, Duration delay) {
    String source = source(message);
    messages(source, "retry").increment();
    Counter.builder("dlq.retries").description("Retries scheduled")
        .tags("source", source, "type", message.type(), "error_class", failed.errorClass().name()).register(registry)
        .increment();
    processing(source, message.type()).record(failed.duration());
  }

  @Override
  public void deadLettered(DeadLetter dl, RecordResult result, Duration took) {
    String source = source(dl.message());
    messages(source, "dead_letter").increment();
    if (!took.isZero()) {
      processing(source, dl.message().type()).record(took);
    }
    if (result.becameDead()) {
      Counter.builder("dlq.dead.lettered").description("Messages that became dead (once per death)")
          .tags("source", source, "type", dl.message().type(), "error_class", dl.errorClass().name(),
              "reason", dl.reason().name())
          .register(registry).increment();
      DistributionSummary.builder("dlq.attempts.before.dead").description("Attempts a message had when it died")
          .tags("source", source).register(registry).record(dl.attempts());
    }
  }

  @Override
  public void released(Message message) {
    messages(source(message), "released").increment();
  }

  @Override
  public void settleFailed(Message message, String action, RuntimeException error) {
    Counter.builder("dlq.settle.errors").description("Failures to settle a delivery")
        .tags("source", source(message), "action", action).register(registry).increment();
  }

  @Override
  public void pollFailed(String source, RuntimeException error) {
    Counter.builder("dlq.poll.errors").description("Failed polls").tags("source", source).register(registry).increment();
  }

  @Override
  public void circuitChanged(String workerId, String source, CircuitState state) {
    Counter.builder("dlq.circuit.transitions").description("Circuit-breaker transitions")
        .tags("source", source, "worker", workerId, "to", state.name().toLowerCase(Locale.ROOT))
        .register(registry).increment();
  }

  @Override
  public void replayed(String store, long count) {
    Counter.builder("dlq.replays").description("Dead letters replayed").tags("store", store).register(registry)
        .increment(count);
  }

  @Override
  public void publishFailed(DeadLetter deadLetter, RuntimeException error) {
    Counter.builder("dlq.dead.letter.publish.failures").description("Dead letters whose downstream publish failed")
        .tags("source", source(deadLetter.message())).register(registry).increment();
  }

  @Override
  public AutoCloseable gauge(DlqGauge gauge, List<String> labelValues, DoubleSupplier value) {
    if (labelValues.size() != gauge.labelNames().size()) {
      throw new IllegalArgumentException(gauge + " takes labels " + gauge.labelNames() + " but was given " + labelValues);
    }
    List<String> key = new java.util.ArrayList<>(labelValues);
    key.add(0, gauge.name());
    GaugeSum sum = gauges.computeIfAbsent(List.copyOf(key), k -> {
      GaugeSum s = new GaugeSum();
      Tags tags = Tags.empty();
      for (int i = 0; i < labelValues.size(); i++) {
        tags = tags.and(gauge.labelNames().get(i), labelValues.get(i));
      }
      String name = gauge.metricName().replace('_', '.');
      Gauge.builder(name, s, GaugeSum::value).description(gauge.help()).tags(tags).register(registry);
      return s;
    });
    sum.suppliers.put(value, Boolean.TRUE);
    return () -> sum.suppliers.remove(value);
  }

  /** The sum of the suppliers registered under one gauge and label set (0 when none are left). */
  private static final class GaugeSum {
    final Map<DoubleSupplier, Boolean> suppliers = new ConcurrentHashMap<>();

    double value() {
      double v = 0;
      for (DoubleSupplier s : suppliers.keySet()) {
        v += s.getAsDouble();
      }
      return v;
    }
  }
}
