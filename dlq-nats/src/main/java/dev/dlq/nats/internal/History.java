package dev.dlq.nats.internal;

import dev.dlq.Attempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed attempts of messages this process retried, by stream sequence. JetStream keeps no history of
 * its own, so this is best effort: attempts made by other processes, or before a restart, are not
 * known, and past {@link #MAX} messages no more are remembered. Thread-safe.
 */
public final class History {
  static final int MAX = 10_000;
  private final Map<Long, List<Attempt>> bySeq = new ConcurrentHashMap<>();

  void add(long seq, Attempt failed) {
    if (bySeq.size() >= MAX && !bySeq.containsKey(seq)) {
      return;
    }
    bySeq.compute(seq, (k, v) -> {
      List<Attempt> next = v == null ? new ArrayList<>(4) : new ArrayList<>(v);
      next.add(failed);
      return List.copyOf(next);
    });
  }

  List<Attempt> of(long seq) {
    List<Attempt> h = bySeq.get(seq);
    return h == null ? List.of() : h;
  }

  void forget(long seq) {
    bySeq.remove(seq);
  }
}
