package dev.dlq.sqs.internal;

import dev.dlq.Attempt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The failed attempts this process saw per message id, so that a dead letter carries more than its
 * last attempt. SQS keeps no history of its own, so this is best effort: bounded (least recently
 * used ids are dropped) and lost on restart. Thread-safe.
 */
public final class Histories {
  private static final int MAX_PER_MESSAGE = 32;
  private final Map<String, List<Attempt>> byId;

  public Histories(int maxMessages) {
    this.byId = new LinkedHashMap<>(64, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, List<Attempt>> eldest) {
        return size() > maxMessages;
      }
    };
  }

  /** The attempts of {@code id} before attempt {@code current}, oldest first. */
  public synchronized List<Attempt> before(String id, int current) {
    List<Attempt> all = byId.get(id);
    if (all == null) {
      return List.of();
    }
    List<Attempt> out = new ArrayList<>(all.size());
    for (Attempt a : all) {
      if (a.number() < current) {
        out.add(a);
      }
    }
    return List.copyOf(out);
  }

  public synchronized void add(String id, Attempt failed) {
    List<Attempt> all = byId.computeIfAbsent(id, k -> new ArrayList<>(4));
    all.removeIf(a -> a.number() >= failed.number()); // a redelivery after a crash replaces what it redoes
    all.add(failed);
    if (all.size() > MAX_PER_MESSAGE) {
      all.remove(0);
    }
  }

  public synchronized void forget(String id) {
    byId.remove(id);
  }
}
