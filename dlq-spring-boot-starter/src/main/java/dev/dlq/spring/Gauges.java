package dev.dlq.spring;

import dev.dlq.spi.DlqGauge;
import dev.dlq.spi.DlqObserver;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * One worker's gauges as its source registers them (ready tasks, age of the oldest), kept for the
 * health indicator so that it needs no query and no metrics library of its own.
 */
final class Gauges implements DlqObserver {
  private final Map<DlqGauge, DoubleSupplier> readings = new ConcurrentHashMap<>();

  @Override
  public AutoCloseable gauge(DlqGauge gauge, List<String> labelValues, DoubleSupplier value) {
    readings.put(gauge, value);
    return () -> readings.remove(gauge, value);
  }

  OptionalDouble read(DlqGauge gauge) {
    DoubleSupplier s = readings.get(gauge);
    if (s == null) {
      return OptionalDouble.empty();
    }
    double v = s.getAsDouble();
    return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
  }
}
