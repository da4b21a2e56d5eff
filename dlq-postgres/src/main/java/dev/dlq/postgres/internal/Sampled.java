package dev.dlq.postgres.internal;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value read from the database at most once per {@code maxAgeMillis}, for gauges that a metrics
 * scrape reads: the scrape never waits for more than one query, and a failed query keeps the last
 * value (logged once per failure streak).
 */
final class Sampled<T> {
  private static final Logger log = LoggerFactory.getLogger(Sampled.class);
  private final Supplier<T> read;
  private final long maxAgeMillis;
  private final String what;
  private T value;
  private long readAt = Long.MIN_VALUE;
  private boolean failing;

  Sampled(String what, long maxAgeMillis, T initial, Supplier<T> read) {
    this.what = what;
    this.maxAgeMillis = maxAgeMillis;
    this.value = initial;
    this.read = read;
  }

  synchronized T get() {
    long now = System.currentTimeMillis();
    if (readAt == Long.MIN_VALUE || now - readAt >= maxAgeMillis) {
      readAt = now;
      try {
        value = read.get();
        failing = false;
      } catch (RuntimeException e) {
        if (!failing) {
          log.warn("could not read {} for metrics; keeping the last value", what, e);
        }
        failing = true;
      }
    }
    return value;
  }
}
