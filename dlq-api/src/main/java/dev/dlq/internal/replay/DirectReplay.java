package dev.dlq.internal.replay;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStatus;
import dev.dlq.DlqException;
import dev.dlq.Page;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.StoreUnavailableException;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.Checks;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.ReplayStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link dev.dlq.spi.DeadLetterStore#replay(ReplayRequest)} for every store, in one call: no job,
 * no canary, no ramp; named ids or the PENDING matches of a filter, oldest first, at most the
 * request's rate, one audit entry. Long or risky replays belong to {@link dev.dlq.ReplayRunner}.
 */
public final class DirectReplay {
  private DirectReplay() {}

  public static ReplayResult run(ReplayStore store, ReplayRequest r, DlqObserver observer, Clock clock) {
    Checks.notNull(r, "request");
    String replayId = UUID.randomUUID().toString();
    boolean byIds = !r.ids().isEmpty();
    List<String> targets = byIds ? List.copyOf(new LinkedHashSet<>(r.ids())) : pending(store, r.filter());
    List<String> skipped = new ArrayList<>();
    if (r.dryRun()) {
      if (byIds) { // a filter's targets are PENDING already
        for (String id : targets) {
          if (store.get(id).map(StoredDeadLetter::status).filter(s -> s == DeadLetterStatus.PENDING).isEmpty()) {
            skipped.add(id);
          }
        }
      }
      return new ReplayResult(replayId, targets.size(), 0, skipped, true);
    }
    long gapNanos = r.ratePerSecond() > 0 ? (long) (1e9 / r.ratePerSecond()) : 0;
    long nextAt = System.nanoTime();
    int replayed = 0;
    try {
      for (String id : targets) {
        if (gapNanos > 0) {
          long wait = nextAt - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
          nextAt = Math.max(nextAt, System.nanoTime()) + gapNanos;
        }
        ReplayStore.Outcome o;
        try {
          o = store.replayOne(id, replayId, r.operator());
        } catch (StoreUnavailableException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new DlqException("replay " + replayId + " stopped after " + replayed + " of " + targets.size() + ": "
              + e.getMessage(), e);
        }
        if (o == ReplayStore.Outcome.SENT) {
          replayed++;
        } else {
          skipped.add(id);
        }
      }
    } finally {
      store.appendAudit(new AuditEntry(clock.instant(), r.operator(), "replay",
          byIds ? targets.toString() : r.filter().toString(), replayed,
          "replayId=" + replayId + ", skipped=" + skipped.size()));
      if (replayed > 0) {
        observer.replayed(store.label(), replayed);
      }
    }
    return new ReplayResult(replayId, targets.size(), replayed, skipped, false);
  }

  /** The PENDING dead letters matching {@code filter}, oldest dead first. */
  private static List<String> pending(ReplayStore store, DeadLetterFilter f) {
    if (f.status().isPresent() && f.status().get() != DeadLetterStatus.PENDING) {
      return List.of();
    }
    DeadLetterFilter p = f.withStatus(DeadLetterStatus.PENDING);
    List<String> ids = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<String> page = store.scanIds(p, cursor, DeadLetterQuery.MAX_LIMIT);
      ids.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    Collections.reverse(ids);
    return ids;
  }
}
