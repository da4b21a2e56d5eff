package dev.dlq.contract;

import dev.dlq.DeadLetter;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.Worker.CircuitState;
import dev.dlq.spi.DlqGauge;
import dev.dlq.spi.DlqObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/** Counts every event it hears, for assertions in tests. Thread-safe. */
public class CountingObserver implements DlqObserver {
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
  /** Every dead letter that became dead, in order. */
  public final List<DeadLetter> deaths = new CopyOnWriteArrayList<>();
  /** Every circuit transition, in order. */
  public final List<CircuitState> circuit = new CopyOnWriteArrayList<>();

  private void inc(String key) {
    counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  /** The count under {@code key}, 0 when never counted. */
  public long count(String key) {
    AtomicLong n = counts.get(key);
    return n == null ? 0 : n.get();
  }

  @Override
  public void succeeded(Message message, Duration took) {
    inc("message.success");
  }

  @Override
  public void retried(Message message, dev.dlq.Attempt failed, Duration delay) {
    inc("message.retry");
    inc("retry." + failed.errorClass());
  }

  @Override
  public void deadLettered(DeadLetter deadLetter, RecordResult result, Duration took) {
    inc("message.dead_letter");
    if (result.becameDead()) {
      inc("dead");
      deaths.add(deadLetter);
    }
  }

  @Override
  public void released(Message message) {
    inc("message.released");
  }

  @Override
  public void settleFailed(Message message, String action, RuntimeException error) {
    inc("settleFailed." + action);
  }

  @Override
  public void pollFailed(String source, RuntimeException error) {
    inc("pollFailed");
  }

  @Override
  public void circuitChanged(String workerId, String source, CircuitState state) {
    circuit.add(state);
  }

  @Override
  public void replayed(String store, long count) {
    counts.computeIfAbsent("replayed", k -> new AtomicLong()).addAndGet(count);
  }

  @Override
  public void publishFailed(DeadLetter deadLetter, RuntimeException error) {
    inc("publishFailed");
  }

  @Override
  public AutoCloseable gauge(DlqGauge gauge, List<String> labelValues, DoubleSupplier value) {
    String key = gauge + String.valueOf(labelValues);
    gauges.put(key, value);
    return () -> gauges.remove(key, value);
  }

  /** The current value of {@code gauge} with {@code labels}, 0 when none is registered. */
  public double gauge(DlqGauge gauge, List<String> labels) {
    DoubleSupplier s = gauges.get(gauge + String.valueOf(labels));
    return s == null ? 0 : s.getAsDouble();
  }

  /** The current value of {@code gauge} summed over its registrations, 0 when none. */
  public double gauge(DlqGauge gauge) {
    double sum = 0;
    for (Map.Entry<String, DoubleSupplier> e : gauges.entrySet()) {
      if (e.getKey().startsWith(gauge.name() + "[")) {
        sum += e.getValue().getAsDouble();
      }
    }
    return sum;
  }

  /** Messages settled as {@code outcome}: success, retry, dead_letter, released. */
  public long messages(String outcome) {
    return count("message." + outcome);
  }

  /** Deaths (dead letters that became dead), each counted once. */
  public long deadLetteredTotal() {
    return count("dead");
  }

  /** Retries scheduled. */
  public long retriesTotal() {
    return count("message.retry");
  }

  /** Failed settlements of {@code action}. */
  public long settleErrors(String action) {
    return count("settleFailed." + action);
  }

  /** Failed downstream publishes. */
  public long publishFailures() {
    return count("publishFailed");
  }

  /** The in-flight gauge. */
  public long inFlight() {
    return (long) gauge(DlqGauge.IN_FLIGHT);
  }

  /** Dead letters replayed. */
  public long replayed() {
    return count("replayed");
  }
}
