package dev.dlq.internal.replay;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStatus;
import dev.dlq.DlqException;
import dev.dlq.Page;
import dev.dlq.ReplayJob;
import dev.dlq.ReplayJob.State;
import dev.dlq.ReplayPlan;
import dev.dlq.spi.ReplayStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Job creation (the snapshot) and state moves by compare-and-set. */
public final class Jobs {
  private static final int TRIES = 32;

  private Jobs() {}

  /** Snapshots the plan's ids (oldest dead first for a filter) and keeps a PLANNED job. */
  public static ReplayJob prepare(ReplayStore store, ReplayPlan plan, Clock clock) {
    List<String> ids;
    if (!plan.ids().isEmpty()) {
      ids = List.copyOf(new LinkedHashSet<>(plan.ids()));
      if (ids.size() > plan.settings().maxIds()) {
        throw new IllegalArgumentException("the plan names " + ids.size() + " ids but maxIds is "
            + plan.settings().maxIds());
      }
    } else {
      ids = snapshot(store, plan);
    }
    Instant now = clock.instant();
    ReplayJob job = new ReplayJob(UUID.randomUUID().toString(), plan.operator(), plan.describe(), plan.settings(),
        State.PLANNED, ids.size(), 0, 0, 0, 0, 0, "", now, now, 0);
    ReplayJob stored = store.createJob(job, ids);
    store.appendAudit(new AuditEntry(now, plan.operator(), "replay-plan", plan.describe(), ids.size(),
        "replayId=" + stored.id()));
    return stored;
  }

  private static List<String> snapshot(ReplayStore store, ReplayPlan plan) {
    DeadLetterFilter f = plan.filter();
    if (f.status().isPresent() && f.status().get() != DeadLetterStatus.PENDING) {
      return List.of();
    }
    DeadLetterFilter pending = f.withStatus(DeadLetterStatus.PENDING);
    int max = plan.settings().maxIds();
    List<String> ids = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<String> page = store.scanIds(pending, cursor, DeadLetterQuery.MAX_LIMIT);
      for (String id : page.items()) {
        if (seen.add(id)) {
          ids.add(id);
        }
      }
      if (ids.size() > max) {
        throw new IllegalArgumentException("the filter matches more than " + max + " pending dead letters (maxIds):"
            + " narrow the filter or raise maxIds");
      }
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    Collections.reverse(ids); // scans are newest first; replay the oldest first
    return List.copyOf(ids);
  }

  /**
   * Moves job {@code jobId} from one of {@code from} to {@code to}, retrying when someone else wrote first.
   *
   * @throws IllegalStateException when the job is in none of {@code from}
   */
  public static ReplayJob move(ReplayStore store, Clock clock, String jobId, Set<State> from, State to, String why) {
    for (int i = 0; i < TRIES; i++) {
      ReplayJob cur = store.job(jobId).orElseThrow(() -> new IllegalArgumentException("unknown replay job '" + jobId + "'"));
      if (!from.contains(cur.state())) {
        throw new IllegalStateException("replay job " + jobId + " is " + cur.state() + ": it must be one of " + from);
      }
      Optional<ReplayJob> w = store.updateJob(cur.with(to, why, clock.instant()));
      if (w.isPresent()) {
        return w.get();
      }
    }
    throw new DlqException("replay job " + jobId + " kept changing under " + TRIES + " tries");
  }
}
