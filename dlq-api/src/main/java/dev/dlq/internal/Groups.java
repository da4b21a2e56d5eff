package dev.dlq.internal;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStatus;
import dev.dlq.FailureGroup;
import dev.dlq.Page;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.Checks;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.ReplayStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/** Failure groups computed in memory from a stream of dead letters, and group actions in pages. Not thread-safe. */
public final class Groups implements Consumer<StoredDeadLetter> {
  private static final int MAX_TYPES = 20;
  private final Map<String, Acc> byFingerprint = new HashMap<>();

  private static final class Acc {
    long count;
    long pending;
    Instant first;
    Instant last;
    final Set<String> types = new TreeSet<>();
    DeadLetter newest;
  }

  @Override
  public void accept(StoredDeadLetter s) {
    DeadLetter dl = s.deadLetter();
    Acc a = byFingerprint.computeIfAbsent(dl.fingerprint(), k -> new Acc());
    a.count++;
    if (s.status() == DeadLetterStatus.PENDING) {
      a.pending++;
    }
    if (a.first == null || dl.deadAt().isBefore(a.first)) {
      a.first = dl.deadAt();
    }
    if (a.last == null || !dl.deadAt().isBefore(a.last)) {
      a.last = dl.deadAt();
      a.newest = dl;
    }
    if (a.types.size() < MAX_TYPES) {
      a.types.add(dl.message().type());
    }
  }

  /** The biggest groups first, then the most recent. */
  public List<FailureGroup> biggest(int limit) {
    List<FailureGroup> out = new ArrayList<>();
    byFingerprint.forEach((fp, a) -> out.add(new FailureGroup(fp, a.count, a.pending, a.first, a.last, a.types,
        a.newest.errorType(), a.newest.errorMessage(), a.newest.id())));
    out.sort(Comparator.comparingLong(FailureGroup::count).reversed()
        .thenComparing(FailureGroup::lastSeen, Comparator.reverseOrder()));
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : List.copyOf(out);
  }

  /**
   * Applies {@code action} to the PENDING dead letters of group {@code fingerprint}, a page of ids at
   * a time; the ids are read with {@link ReplayStore#scanIds} when the store is a ReplayStore.
   */
  public static int apply(DeadLetterStore store, String fingerprint, ToIntFunction<List<String>> action) {
    Checks.notBlank(fingerprint, "fingerprint");
    DeadLetterFilter f = DeadLetterFilter.builder().fingerprint(fingerprint).status(DeadLetterStatus.PENDING).build();
    // ids first, then act: acting while paging would move the keyset under the cursor
    List<String> ids = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<String> page = store instanceof ReplayStore r ? r.scanIds(f, cursor, DeadLetterQuery.MAX_LIMIT)
          : findIds(store, f, cursor, DeadLetterQuery.MAX_LIMIT);
      ids.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    int changed = 0;
    for (int i = 0; i < ids.size(); i += DeadLetterQuery.MAX_LIMIT) {
      changed += action.applyAsInt(ids.subList(i, Math.min(ids.size(), i + DeadLetterQuery.MAX_LIMIT)));
    }
    return changed;
  }

  /**
   * A page of the ids of the dead letters matching {@code filter}, read through {@link
   * DeadLetterStore#find} (whole dead letters): for a store without {@link ReplayStore#scanIds}, and
   * its default.
   */
  public static Page<String> findIds(DeadLetterStore store, DeadLetterFilter filter, Optional<String> cursor,
      int limit) {
    Page<StoredDeadLetter> page = store.find(new DeadLetterQuery(filter, limit, cursor));
    return new Page<>(page.items().stream().map(StoredDeadLetter::id).toList(), page.nextCursor());
  }
}
