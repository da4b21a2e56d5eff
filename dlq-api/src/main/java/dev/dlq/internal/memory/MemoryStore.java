package dev.dlq.internal.memory;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStats;
import dev.dlq.DeadLetterStatus;
import dev.dlq.Page;
import dev.dlq.RecordResult;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.Checks;
import dev.dlq.spi.Cursors;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.ReplayStore;
import dev.dlq.ReplayJob;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The in-memory {@link DeadLetterStore}; replay puts messages back on their memory queue. */
public final class MemoryStore implements ReplayStore {
  /** Newest dead first, then id descending: the keyset order every store uses. */
  static final Comparator<StoredDeadLetter> NEWEST_FIRST = Comparator
      .comparing((StoredDeadLetter s) -> s.deadLetter().deadAt()).reversed()
      .thenComparing(StoredDeadLetter::id, Comparator.reverseOrder());

  private final MemoryBroker broker;
  private final Clock clock;
  private final Map<String, StoredDeadLetter> records = new ConcurrentHashMap<>();
  private final List<AuditEntry> audit = new ArrayList<>();
  private final Map<String, ReplayJob> jobs = new java.util.LinkedHashMap<>();
  private final Map<String, List<String>> jobIds = new java.util.HashMap<>();

  MemoryStore(MemoryBroker broker, Clock clock) {
    this.broker = broker;
    this.clock = clock;
  }

  @Override
  public RecordResult record(DeadLetter dl) {
    Checks.notNull(dl, "deadLetter");
    RecordResult[] result = new RecordResult[1];
    records.compute(dl.id(), (id, existing) -> {
      if (existing == null) {
        result[0] = RecordResult.CREATED;
        return new StoredDeadLetter(dl, DeadLetterStatus.PENDING, 1, 0, Optional.empty(), Optional.empty(), clock.instant());
      }
      if (existing.status() == DeadLetterStatus.PENDING) {
        result[0] = RecordResult.ALREADY_RECORDED;
        return existing;
      }
      result[0] = RecordResult.REOPENED;
      return new StoredDeadLetter(dl, DeadLetterStatus.PENDING, existing.deathCount() + 1, existing.replayCount(),
          existing.lastReplayId(), existing.lastReplayBy(), clock.instant());
    });
    return result[0];
  }

  @Override
  public Page<StoredDeadLetter> find(DeadLetterQuery query) {
    Checks.notNull(query, "query");
    Optional<Cursors.Position> after = query.cursor().map(Cursors::decode);
    List<StoredDeadLetter> all = matching(query.filter());
    all.sort(NEWEST_FIRST);
    List<StoredDeadLetter> page = new ArrayList<>(query.limit());
    for (StoredDeadLetter s : all) {
      if (after.isPresent() && !after.get().precedes(s)) {
        continue;
      }
      if (page.size() == query.limit()) {
        StoredDeadLetter last = page.get(page.size() - 1);
        return new Page<>(page, Optional.of(Cursors.encode(last.deadLetter().deadAt(), last.id())));
      }
      page.add(s);
    }
    return new Page<>(page, Optional.empty());
  }

  private List<StoredDeadLetter> matching(DeadLetterFilter filter) {
    Checks.notNull(filter, "filter");
    List<StoredDeadLetter> out = new ArrayList<>();
    for (StoredDeadLetter s : records.values()) {
      if (filter.matches(s)) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public long count(DeadLetterFilter filter) {
    return matching(filter).size();
  }

  @Override
  public DeadLetterStats stats(DeadLetterFilter filter) {
    return DeadLetterStats.of(matching(filter));
  }

  @Override
  public Optional<StoredDeadLetter> get(String id) {
    return Optional.ofNullable(records.get(Checks.notBlank(id, "id")));
  }

  @Override
  public ReplayResult replay(ReplayRequest request) {
    return ReplayStore.replayDirect(this, request, dev.dlq.spi.DlqObserver.NONE, clock);
  }

  @Override
  public String label() {
    return "memory";
  }

  @Override
  public Outcome replayOne(String id, String replayId, String operator) {
    return replay(id, null, replayId, operator);
  }

  @Override
  public Outcome replayCopy(String id, dev.dlq.Message copy, String replayId, String operator) {
    return replay(id, Checks.notNull(copy, "copy"), replayId, operator);
  }

  /** Marks {@code id} REPLAYED if PENDING, then sends {@code copy}, or the stored message when null. */
  private Outcome replay(String id, dev.dlq.Message copy, String replayId, String operator) {
    Checks.notBlank(id, "id");
    Checks.notBlank(replayId, "replayId");
    Checks.notBlank(operator, "operator");
    boolean[] won = new boolean[1];
    StoredDeadLetter sent = records.computeIfPresent(id, (k, cur) -> {
      if (cur.status() != DeadLetterStatus.PENDING) {
        return cur;
      }
      won[0] = true;
      return new StoredDeadLetter(cur.deadLetter(), DeadLetterStatus.REPLAYED, cur.deathCount(), cur.replayCount() + 1,
          Optional.of(replayId), Optional.of(operator), clock.instant());
    });
    if (!won[0]) {
      return Outcome.SKIPPED;
    }
    broker.requeueFresh(copy != null ? copy : sent.deadLetter().message());
    return Outcome.SENT;
  }

  @Override
  public void appendAudit(AuditEntry entry) {
    synchronized (audit) {
      audit.add(Checks.notNull(entry, "entry"));
    }
  }

  @Override
  public ReplayJob createJob(ReplayJob job, List<String> ids) {
    ReplayJob stored = job.withVersion(1);
    synchronized (jobs) {
      if (jobs.containsKey(job.id())) {
        throw new IllegalArgumentException("replay job " + job.id() + " exists already");
      }
      jobIds.put(job.id(), List.copyOf(ids));
      jobs.put(job.id(), stored);
    }
    return stored;
  }

  @Override
  public Optional<ReplayJob> updateJob(ReplayJob next) {
    synchronized (jobs) {
      ReplayJob cur = jobs.get(next.id());
      if (cur == null || cur.version() != next.version()) {
        return Optional.empty();
      }
      ReplayJob stored = next.withVersion(cur.version() + 1);
      jobs.put(next.id(), stored);
      return Optional.of(stored);
    }
  }

  @Override
  public Optional<ReplayJob> job(String id) {
    synchronized (jobs) {
      return Optional.ofNullable(jobs.get(id));
    }
  }

  @Override
  public List<ReplayJob> jobs(int limit) {
    synchronized (jobs) {
      List<ReplayJob> all = new ArrayList<>(jobs.values());
      Collections.reverse(all);
      return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }
  }

  @Override
  public List<String> jobIds(String jobId, int from, int limit) {
    synchronized (jobs) {
      List<String> ids = jobIds.getOrDefault(jobId, List.of());
      return from >= ids.size() ? List.of() : List.copyOf(ids.subList(from, Math.min(ids.size(), from + limit)));
    }
  }

  @Override
  public int resolve(Collection<String> ids, String operator, String note) {
    return transition(ids, operator, note, "resolve", DeadLetterStatus.RESOLVED);
  }

  @Override
  public int discard(Collection<String> ids, String operator, String note) {
    return transition(ids, operator, note, "discard", DeadLetterStatus.DISCARDED);
  }

  private int transition(Collection<String> ids, String operator, String note, String action, DeadLetterStatus to) {
    Checks.notNull(ids, "ids");
    Checks.notBlank(operator, "operator");
    List<String> unknown = ids.stream().filter(id -> !records.containsKey(id)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown dead-letter ids: " + unknown + "; nothing was changed");
    }
    int changed = 0;
    for (String id : new LinkedHashSet<>(ids)) {
      boolean[] did = new boolean[1];
      records.computeIfPresent(id, (k, cur) -> {
        if (cur.status() == to || (to == DeadLetterStatus.RESOLVED && cur.status() != DeadLetterStatus.PENDING)) {
          return cur;
        }
        did[0] = true;
        return new StoredDeadLetter(cur.deadLetter(), to, cur.deathCount(), cur.replayCount(), cur.lastReplayId(),
            cur.lastReplayBy(), clock.instant());
      });
      if (did[0]) {
        changed++;
      }
    }
    audit(operator, action, ids.toString(), changed, note == null ? "" : note);
    return changed;
  }

  @Override
  public long purge(Instant cutoff, String operator) {
    Checks.notNull(cutoff, "cutoff");
    Checks.notBlank(operator, "operator");
    long removed = 0;
    for (StoredDeadLetter s : List.copyOf(records.values())) {
      if (s.status() != DeadLetterStatus.PENDING && s.deadLetter().deadAt().isBefore(cutoff)
          && records.remove(s.id(), s)) {
        removed++;
      }
    }
    audit(operator, "purge", "deadAt < " + cutoff, removed, "");
    return removed;
  }

  @Override
  public void export(DeadLetterFilter filter, Consumer<StoredDeadLetter> sink) {
    List<StoredDeadLetter> all = matching(filter);
    all.sort(NEWEST_FIRST.reversed());
    all.forEach(sink);
  }

  @Override
  public List<AuditEntry> audit(int limit) {
    Checks.atLeast(limit, 1, "limit");
    synchronized (audit) {
      List<AuditEntry> out = new ArrayList<>();
      for (int i = audit.size() - 1; i >= 0 && out.size() < limit; i--) {
        out.add(audit.get(i));
      }
      return out;
    }
  }

  private void audit(String operator, String action, String target, long count, String detail) {
    appendAudit(new AuditEntry(clock.instant(), operator, action, target, count, detail));
  }
}
