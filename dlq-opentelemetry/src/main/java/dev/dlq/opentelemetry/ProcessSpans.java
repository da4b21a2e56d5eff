package dev.dlq.opentelemetry;

import dev.dlq.Message;
import io.opentelemetry.api.trace.SpanContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The process span of each message whose outcome is not yet known, so that the retry and dead-letter
 * spans the observer records (on whatever thread settles) become its children. Bounded: a processor
 * wrapped without the observer, or outcomes that are never reported, cannot make it grow past
 * {@link #MAX} entries (the oldest is dropped, and its outcome span then hangs off the message's
 * extracted context instead). Thread-safe.
 */
final class ProcessSpans {
  static final int MAX = 10_000;

  private final Map<String, SpanContext> open = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, SpanContext> eldest) {
      return size() > MAX;
    }
  };

  synchronized void put(Message m, SpanContext span) {
    open.put(key(m), span);
  }

  /** The process span of {@code m}, forgotten; null when none is known. */
  synchronized SpanContext take(Message m) {
    return open.remove(key(m));
  }

  synchronized int size() {
    return open.size();
  }

  // one delivery of one message: the same id comes back with a new attempt number
  private static String key(Message m) {
    return m.source() + "\u0000" + m.id() + "\u0000" + m.attempt();
  }
}
