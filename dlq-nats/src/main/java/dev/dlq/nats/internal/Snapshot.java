package dev.dlq.nats.internal;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterStatus;
import dev.dlq.StoredDeadLetter;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every dead letter of a DLQ at one moment: the DLQ stream folded by dead-letter id (the latest death
 * wins), joined with the state bucket (an id without state is PENDING, first death). The DLQ stream is
 * read in full: queries cost O(dead letters), which is why large DLQs are copied into PostgreSQL by
 * the DLQ monitor.
 */
final class Snapshot {
  private static final Logger log = LoggerFactory.getLogger(Snapshot.class);

  /** One dead letter with the DLQ sequences of all its deaths. */
  record Item(StoredDeadLetter stored, List<Long> seqs) {}

  final Map<String, Item> items;

  private Snapshot(Map<String, Item> items) {
    this.items = items;
  }

  static Snapshot load(JetStreamStore store) {
    Map<String, DlqState> states = states(store.kv());
    Map<String, io.nats.client.Message> latest = new HashMap<>();
    Map<String, List<Long>> seqs = new HashMap<>();
    StreamReader.read(store.connection(), store.config().dlqStream(), store.config().dlqSubjects(), 1, m -> {
      String id = DlqCodec.id(m.getHeaders());
      if (id == null) {
        return;
      }
      latest.put(id, m);
      seqs.computeIfAbsent(id, k -> new ArrayList<>(1)).add(m.metaData().streamSequence());
    });
    Map<String, Item> items = new HashMap<>(latest.size() * 2);
    for (Map.Entry<String, io.nats.client.Message> e : latest.entrySet()) {
      try {
        DeadLetter dl = DlqCodec.decode(e.getValue().getHeaders(), e.getValue().getData());
        items.put(e.getKey(), new Item(stored(dl, states.get(e.getKey())), seqs.get(e.getKey())));
      } catch (RuntimeException bad) {
        log.warn("skipping DLQ message {} of {}: {}", e.getValue().metaData().streamSequence(),
            store.config().dlqStream(), bad.getMessage());
      }
    }
    return new Snapshot(items);
  }

  Optional<StoredDeadLetter> get(String id) {
    Item i = items.get(id);
    return i == null ? Optional.empty() : Optional.of(i.stored());
  }

  List<StoredDeadLetter> all() {
    List<StoredDeadLetter> out = new ArrayList<>(items.size());
    items.values().forEach(i -> out.add(i.stored()));
    return out;
  }

  static StoredDeadLetter stored(DeadLetter dl, DlqState st) {
    if (st == null) {
      return new StoredDeadLetter(dl, DeadLetterStatus.PENDING, 1, 0, Optional.empty(), Optional.empty(), dl.deadAt());
    }
    return new StoredDeadLetter(dl, st.status(), Math.max(1, st.deathCount()), st.replayCount(), st.replayId(),
        st.replayBy(), st.updatedAt());
  }

  /** The current value of every key of the state bucket. */
  static Map<String, DlqState> states(KeyValue kv) {
    Map<String, DlqState> out = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(1);
    KeyValueWatcher watcher = new KeyValueWatcher() {
      @Override
      public void watch(KeyValueEntry e) {
        if (e.getOperation() == KeyValueOperation.PUT) {
          try {
            out.put(e.getKey(), DlqState.fromJson(e.getValue()));
          } catch (RuntimeException bad) {
            log.warn("skipping malformed state of dead letter {}: {}", e.getKey(), bad.getMessage());
          }
        } else {
          out.remove(e.getKey());
        }
      }

      @Override
      public void endOfData() {
        done.countDown();
      }
    };
    try {
      NatsKeyValueWatchSubscription sub = kv.watchAll(watcher, KeyValueWatchOption.IGNORE_DELETE);
      try {
        if (!done.await(30, TimeUnit.SECONDS)) {
          throw new dev.dlq.DlqException("NATS: reading the dead-letter state bucket did not finish within 30s");
        }
      } finally {
        sub.unsubscribe();
      }
    } catch (java.io.IOException | io.nats.client.JetStreamApiException | InterruptedException e) {
      throw Nats.failure("read the dead-letter state bucket", e);
    }
    return new HashMap<>(out);
  }
}
