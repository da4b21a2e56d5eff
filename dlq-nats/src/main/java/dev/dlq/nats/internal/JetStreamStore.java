package dev.dlq.nats.internal;

import dev.dlq.spi.Checks;
import dev.dlq.AuditEntry;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStats;
import dev.dlq.DeadLetterStatus;
import dev.dlq.DlqException;
import dev.dlq.Page;
import dev.dlq.RecordResult;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.Cursors;
import dev.dlq.spi.ReplayStore;
import dev.dlq.ReplayJob;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.PublishOptions;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DLQ stream as a sink and a store. Recording publishes the dead letter to
 * {@code <prefix>.dlq.<type>} (payload byte-exact, error headers, {@code Nats-Msg-Id} = the dead-letter
 * id, or {@code id#n} for its n-th death after a replay), waits for the publish ack, then moves its
 * state in the KV bucket with a compare-and-set: creating the state is the transition to dead, so a
 * second record of the same death (a redelivery, a duplicate publish) is ALREADY_RECORDED. Operator
 * actions are compare-and-set updates of that state, audited on the audit stream. Thread-safe.
 */
public final class JetStreamStore implements ReplayStore {
  private static final Logger log = LoggerFactory.getLogger(JetStreamStore.class);
  static final int WRONG_LAST_SEQUENCE = 10071;
  private static final int CAS_TRIES = 16;
  static final Comparator<StoredDeadLetter> NEWEST_FIRST = Comparator
      .comparing((StoredDeadLetter s) -> s.deadLetter().deadAt()).reversed()
      .thenComparing(StoredDeadLetter::id, Comparator.reverseOrder());

  private final Connection conn;
  private final JetStream js;
  private final JetStreamManagement jsm;
  private final KeyValue kv;
  private final StoreConfig config;
  private final AuditLog audit;
  private final List<AutoCloseable> owned;
  private final Replays replays;
  private final NatsReplayJobs jobs;

  private JetStreamStore(Connection conn, StoreConfig config, List<AutoCloseable> owned) throws IOException {
    this.conn = conn;
    this.js = conn.jetStream();
    this.jsm = conn.jetStreamManagement();
    this.kv = conn.keyValue(config.stateBucket());
    this.config = config;
    this.audit = new AuditLog(conn, config.auditStream(), config.auditSubject());
    this.owned = owned;
    this.replays = new Replays(this);
    this.jobs = new NatsReplayJobs(conn, config.dlqStream() + "_REPLAYS");
  }

  /**
   * A store over the DLQ of {@code config}, creating its stream, bucket and audit stream when asked.
   *
   * @param owned closed with the store (a connection it owns)
   */
  public static JetStreamStore open(Connection conn, StoreConfig config, List<AutoCloseable> owned) {
    try {
      if (config.createStreams()) {
        ensure(conn, config);
      }
      return new JetStreamStore(conn, config, owned);
    } catch (IOException e) {
      JetStreamSource.closeAll(owned);
      throw Nats.failure("open the DLQ " + config.dlqStream(), e);
    } catch (RuntimeException e) {
      JetStreamSource.closeAll(owned);
      throw e;
    }
  }

  private static void ensure(Connection conn, StoreConfig c) throws IOException {
    JetStreamManagement jsm = conn.jetStreamManagement();
    StreamConfiguration.Builder dlq = StreamConfiguration.builder()
        .name(c.dlqStream()).subjects(c.dlqSubjects()).storageType(StorageType.File)
        .retentionPolicy(RetentionPolicy.Limits);
    if (!c.duplicateWindow().isZero()) {
      dlq.duplicateWindow(c.duplicateWindow());
    }
    if (!c.maxAge().isZero()) {
      dlq.maxAge(c.maxAge());
    }
    Nats.ensureStream(jsm, dlq.build());
    Nats.ensureStream(jsm, StreamConfiguration.builder().name(c.auditStream()).subjects(c.auditSubject())
        .storageType(StorageType.File).retentionPolicy(RetentionPolicy.Limits).build());
    try {
      conn.keyValueManagement().getStatus(c.stateBucket());
    } catch (JetStreamApiException missing) {
      try {
        conn.keyValueManagement().create(KeyValueConfiguration.builder().name(c.stateBucket()).maxHistoryPerKey(1)
            .storageType(StorageType.File).build());
      } catch (JetStreamApiException e) {
        try { // created concurrently?
          conn.keyValueManagement().getStatus(c.stateBucket());
        } catch (JetStreamApiException again) {
          throw Nats.failure("create the KV bucket " + c.stateBucket(), e);
        }
      }
    }
  }

  Connection connection() {
    return conn;
  }

  JetStream jetStream() {
    return js;
  }

  KeyValue kv() {
    return kv;
  }

  StoreConfig config() {
    return config;
  }

  Instant now() {
    return config.clock().instant();
  }

  // ---- sink

  @Override
  public RecordResult record(DeadLetter deadLetter) {
    return record(deadLetter, null);
  }

  /** Records a death, naming the work stream and sequence it came from when known. */
  RecordResult record(DeadLetter dl, Origin origin) {
    if (dl == null) {
      throw new IllegalArgumentException("deadLetter must not be null");
    }
    String id = dl.id();
    for (int i = 0; i < CAS_TRIES; i++) {
      KeyValueEntry e = kvGet(id);
      DlqState st = e == null ? null : DlqState.fromJson(e.getValue());
      if (st != null && st.status() == DeadLetterStatus.PENDING) {
        return RecordResult.ALREADY_RECORDED;
      }
      int death = st == null ? 1 : st.deathCount() + 1;
      PublishAck ack = publish(dl, DlqState.msgId(id, death), origin);
      try {
        if (st == null) {
          kv.create(id, DlqState.created(ack.getSeqno(), dl.deadAt(), now()).toJson());
          return RecordResult.CREATED;
        }
        kv.update(id, st.reopened(ack.getSeqno(), dl.deadAt(), now()).toJson(), e.getRevision());
        return RecordResult.REOPENED;
      } catch (JetStreamApiException ex) {
        if (ex.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
          throw Nats.failure("record the state of dead letter " + id, ex);
        }
        // raced with another recorder or an operator: look again
      } catch (IOException ex) {
        throw Nats.failure("record the state of dead letter " + id, ex);
      }
    }
    throw new DlqException("NATS: could not record dead letter " + id + ": its state kept changing under " + CAS_TRIES + " tries");
  }

  private PublishAck publish(DeadLetter dl, String msgId, Origin origin) {
    String subject = config.dlqSubject(dl.message().type());
    PublishOptions options = PublishOptions.builder().messageId(msgId).expectedStream(config.dlqStream()).build();
    byte[] body = dl.message().payload();
    try {
      try {
        return js.publish(NatsMessage.builder().subject(subject).headers(DlqCodec.headers(dl, msgId, origin, false))
            .data(body).build(), options);
      } catch (IllegalArgumentException tooBig) {
        log.warn("dead letter {} is too large for NATS ({}); publishing it without stack trace and history", dl.id(),
            tooBig.getMessage());
        return js.publish(NatsMessage.builder().subject(subject).headers(DlqCodec.headers(dl, msgId, origin, true))
            .data(body).build(), options);
      }
    } catch (IOException | JetStreamApiException e) {
      throw Nats.failure("publish dead letter " + dl.id() + " to " + subject, e);
    }
  }

  KeyValueEntry kvGet(String id) {
    try {
      return kv.get(id);
    } catch (IOException | JetStreamApiException e) {
      throw Nats.failure("read the state of dead letter " + id, e);
    }
  }

  /**
   * Moves the state of {@code id} with {@code change} (null from it: no change) by compare-and-set.
   * {@code absent} is the state to start from when the bucket has none (a death whose state write was lost).
   *
   * @return the new state, or empty when {@code change} declined
   */
  Optional<DlqState> transition(String id, DlqState absent, UnaryOperator<DlqState> change) {
    for (int i = 0; i < CAS_TRIES; i++) {
      KeyValueEntry e = kvGet(id);
      DlqState cur = e == null ? absent : DlqState.fromJson(e.getValue());
      if (cur == null) {
        return Optional.empty();
      }
      DlqState next = change.apply(cur);
      if (next == null) {
        return Optional.empty();
      }
      try {
        if (e == null) {
          kv.create(id, next.toJson());
        } else {
          kv.update(id, next.toJson(), e.getRevision());
        }
        return Optional.of(next);
      } catch (JetStreamApiException ex) {
        if (ex.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
          throw Nats.failure("change the state of dead letter " + id, ex);
        }
      } catch (IOException ex) {
        throw Nats.failure("change the state of dead letter " + id, ex);
      }
    }
    throw new DlqException("NATS: the state of dead letter " + id + " kept changing under " + CAS_TRIES + " tries");
  }

  // ---- queries

  @Override
  public Optional<StoredDeadLetter> get(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    KeyValueEntry e = kvGet(id);
    if (e != null) {
      DlqState st = DlqState.fromJson(e.getValue());
      try {
        MessageInfo mi = jsm.getMessage(config.dlqStream(), st.seq());
        if (id.equals(DlqCodec.id(mi.getHeaders()))) {
          return Optional.of(Snapshot.stored(DlqCodec.decode(mi.getHeaders(), mi.getData()), st));
        }
      } catch (JetStreamApiException gone) {
        // deleted by the stream's limits, or purged meanwhile: look through what is left
      } catch (IOException ex) {
        throw Nats.failure("read dead letter " + id, ex);
      }
    }
    return Snapshot.load(this).get(id);
  }

  Snapshot snapshot() {
    return Snapshot.load(this);
  }

  List<StoredDeadLetter> matching(DeadLetterFilter filter) {
    if (filter == null) {
      throw new IllegalArgumentException("filter must not be null");
    }
    List<StoredDeadLetter> out = new ArrayList<>();
    for (StoredDeadLetter s : snapshot().all()) {
      if (filter.matches(s)) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public Page<StoredDeadLetter> find(DeadLetterQuery query) {
    if (query == null) {
      throw new IllegalArgumentException("query must not be null");
    }
    Optional<Cursors.Position> after = query.cursor().map(Cursors::decode);
    List<StoredDeadLetter> all = matching(query.filter());
    all.sort(NEWEST_FIRST);
    List<StoredDeadLetter> page = new ArrayList<>(Math.min(query.limit(), all.size()));
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

  @Override
  public long count(DeadLetterFilter filter) {
    return matching(filter).size();
  }

  @Override
  public DeadLetterStats stats(DeadLetterFilter filter) {
    DeadLetterStats stats = DeadLetterStats.of(matching(filter));
    return stats;
  }

  @Override
  public void export(DeadLetterFilter filter, Consumer<StoredDeadLetter> sink) {
    if (sink == null) {
      throw new IllegalArgumentException("sink must not be null");
    }
    List<StoredDeadLetter> all = matching(filter);
    all.sort(NEWEST_FIRST.reversed());
    all.forEach(sink);
  }

  // ---- operator actions

  @Override
  public ReplayResult replay(ReplayRequest request) {
    return ReplayStore.replayDirect(this, request, config.observer(), config.clock());
  }

  // ---- the replay runner's primitives (dev.dlq.ReplayRunner); jobs in the <dlqStream>_REPLAYS bucket

  @Override
  public String label() {
    return "nats:" + config.dlqStream();
  }

  @Override
  public Outcome replayOne(String id, String replayId, String operator) {
    return replay(id, null, replayId, operator);
  }

  @Override
  public Outcome replayCopy(String id, dev.dlq.Message copy, String replayId, String operator) {
    return replay(id, Checks.notNull(copy, "copy"), replayId, operator);
  }

  /** Sends the dead letter's own message, or {@code copy} when given, if the dead letter is PENDING. */
  private Outcome replay(String id, dev.dlq.Message copy, String replayId, String operator) {
    Checks.notBlank(id, "id");
    requireOperator(operator);
    Optional<StoredDeadLetter> s = get(id);
    if (s.isEmpty() || s.get().status() != DeadLetterStatus.PENDING) {
      return Outcome.SKIPPED;
    }
    dev.dlq.Message send = copy != null ? copy : s.get().deadLetter().message();
    return replays.replayOne(s.get(), send, Checks.notBlank(replayId, "replayId"), operator);
  }

  @Override
  public void appendAudit(AuditEntry entry) {
    audit.append(Checks.notNull(entry, "entry"));
  }

  @Override
  public ReplayJob createJob(ReplayJob job, List<String> ids) {
    return jobs.create(Checks.notNull(job, "job"), Checks.notNull(ids, "ids"));
  }

  @Override
  public Optional<ReplayJob> updateJob(ReplayJob next) {
    return jobs.update(Checks.notNull(next, "next"));
  }

  @Override
  public Optional<ReplayJob> job(String id) {
    return jobs.get(Checks.notBlank(id, "id"));
  }

  @Override
  public List<ReplayJob> jobs(int limit) {
    return jobs.latest(Checks.atLeast(limit, 1, "limit"));
  }

  @Override
  public List<String> jobIds(String jobId, int from, int limit) {
    return jobs.ids(Checks.notBlank(jobId, "jobId"), Checks.atLeast(from, 0, "from"), Checks.atLeast(limit, 1, "limit"));
  }

  /** Reads the KV states only (not the dead letters themselves). */
  @Override
  public int diedAgain(String replayId, List<String> ids) {
    int n = 0;
    for (String id : ids) {
      KeyValueEntry e = kvGet(id);
      if (e == null || e.getValue() == null) {
        continue;
      }
      DlqState st = DlqState.fromJson(e.getValue());
      if (replayId.equals(st.lastReplayId())
          && dev.dlq.ReplayFate.of(st.status(), st.deathCount(), st.replayCount()) == dev.dlq.ReplayFate.DIED_AGAIN) {
        n++;
      }
    }
    return n;
  }

  @Override
  public int resolve(Collection<String> ids, String operator, String note) {
    return change(ids, operator, note, "resolve", DeadLetterStatus.RESOLVED);
  }

  @Override
  public int discard(Collection<String> ids, String operator, String note) {
    return change(ids, operator, note, "discard", DeadLetterStatus.DISCARDED);
  }

  private int change(Collection<String> ids, String operator, String note, String action, DeadLetterStatus to) {
    if (ids == null) {
      throw new IllegalArgumentException("ids must not be null");
    }
    requireOperator(operator);
    Map<String, DlqState> absent = statesFor(ids);
    int changed = 0;
    Instant now = now();
    for (String id : new LinkedHashSet<>(ids)) {
      Optional<DlqState> next = transition(id, absent.get(id), cur -> {
        if (cur.status() == to || (to == DeadLetterStatus.RESOLVED && cur.status() != DeadLetterStatus.PENDING)) {
          return null;
        }
        return cur.withStatus(to, now);
      });
      if (next.isPresent()) {
        changed++;
      }
    }
    audit(operator, action, ids.toString(), changed, note == null ? "" : note);
    return changed;
  }

  /**
   * The DLQ monitor {@code consumer} copied the death at DLQ sequence {@code seq} into another sink,
   * which is the system of record from now on: if that death is still the latest and PENDING it
   * becomes RESOLVED (audited as a resolve by {@code operator}, "stored in {@code sink}"), so the next
   * death of the message reopens it and is published again. A later death or an operator's change
   * since wins and nothing changes.
   *
   * @param dl the dead letter as read from the DLQ message at {@code seq}
   * @return the new state, or empty when nothing changed
   */
  Optional<DlqState> handOver(DeadLetter dl, long seq, String consumer, String operator, String sink) {
    String id = dl.id();
    Instant now = now();
    // no state yet: its write was lost (the monitor waited for it); start from the death it would have written
    DlqState absent = DlqState.created(seq, dl.deadAt(), now);
    Optional<DlqState> next = transition(id, absent, cur -> cur.status() == DeadLetterStatus.PENDING && cur.seq() == seq
        ? cur.handedOver(consumer, now) : null);
    if (next.isPresent()) {
      try {
        audit(operator, "resolve", id, 1, "stored in " + sink + " (consumer " + consumer + ")");
      } catch (RuntimeException e) { // the hand-over itself is done; failing now would only redeliver a settled death
        log.warn("dead letter {} handed over to {} but not audited: {}", id, sink, e.toString());
      }
    }
    return next;
  }

  /**
   * Checks that every id is a dead letter of this DLQ; returns, for those without a state entry, the
   * state to start from.
   *
   * @throws IllegalArgumentException naming the unknown ids; nothing was changed
   */
  Map<String, DlqState> statesFor(Collection<String> ids) {
    List<String> withoutState = new ArrayList<>();
    for (String id : ids) {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("ids must not contain blank ids; nothing was changed");
      }
      if (kvGet(id) == null) {
        withoutState.add(id);
      }
    }
    Map<String, DlqState> absent = new HashMap<>();
    if (withoutState.isEmpty()) {
      return absent;
    }
    Snapshot snap = snapshot();
    List<String> unknown = new ArrayList<>();
    for (String id : withoutState) {
      Snapshot.Item item = snap.items.get(id);
      if (item == null) {
        unknown.add(id);
      } else {
        DeadLetter dl = item.stored().deadLetter();
        List<Long> seqs = item.seqs();
        absent.put(id, DlqState.created(seqs.get(seqs.size() - 1), dl.deadAt(), dl.deadAt()));
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown dead-letter ids: " + unknown + "; nothing was changed");
    }
    return absent;
  }

  @Override
  public long purge(Instant cutoff, String operator) {
    if (cutoff == null) {
      throw new IllegalArgumentException("cutoff must not be null");
    }
    requireOperator(operator);
    long removed = 0;
    for (Snapshot.Item item : snapshot().items.values()) {
      StoredDeadLetter s = item.stored();
      if (s.status() == DeadLetterStatus.PENDING || !s.deadLetter().deadAt().isBefore(cutoff)) {
        continue;
      }
      KeyValueEntry e = kvGet(s.id());
      if (e != null && DlqState.fromJson(e.getValue()).status() == DeadLetterStatus.PENDING) {
        continue; // died again meanwhile
      }
      try {
        for (long seq : item.seqs()) {
          jsm.deleteMessage(config.dlqStream(), seq, false);
        }
        if (e != null) {
          kv.delete(s.id(), e.getRevision());
        }
        removed++;
      } catch (JetStreamApiException ex) {
        log.warn("could not purge dead letter {}: {}", s.id(), ex.getMessage());
      } catch (IOException ex) {
        throw Nats.failure("purge dead letter " + s.id(), ex);
      }
    }
    audit(operator, "purge", "deadAt < " + cutoff, removed, "");
    return removed;
  }

  @Override
  public List<AuditEntry> audit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1 but was " + limit);
    }
    return audit.latest(limit);
  }

  void audit(String operator, String action, String target, long count, String detail) {
    audit.append(new AuditEntry(now(), operator, action, target, count, detail));
  }

  static void requireOperator(String operator) {
    if (operator == null || operator.isBlank()) {
      throw new IllegalArgumentException("operator must not be blank");
    }
  }

  @Override
  public void close() {
    JetStreamSource.closeAll(owned);
  }
}
