package dev.dlq.postgres;

import dev.dlq.spi.Checks;
import dev.dlq.AuditEntry;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStats;
import dev.dlq.Page;
import dev.dlq.RecordResult;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.Checks;
import dev.dlq.postgres.internal.DeadLetterRows;
import dev.dlq.postgres.internal.Jdbc;
import dev.dlq.postgres.internal.Names;
import dev.dlq.postgres.internal.Sql;
import dev.dlq.postgres.internal.StoreOps;
import dev.dlq.spi.ReplayStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * dlq's dead-letter sink and store on PostgreSQL: the {@code dead_letters} table of a schema made
 * by {@link PostgresSchema}, with the operator side (find with keyset pagination, count, stats by
 * type, error class, error type, fingerprint, status and hour; replay, resolve, discard, purge,
 * retention, export) and the {@code audit_log} every operator action is written to, in the same
 * transaction as the action.
 *
 * <p>Replay sends the exact payload and headers back to the original queue of this schema's task
 * table in the transaction that marks the dead letter REPLAYED, with a fresh attempt budget, a
 * replay id and the operator; of two racing replays of one dead letter exactly one enqueues it.
 * Dead letters from other backends replay through a {@link Replayer} registered for that backend.
 *
 * <pre>{@code
 * PostgresDeadLetterStore store = PostgresDeadLetterStore.builder(dataSource).build();
 * Page<StoredDeadLetter> page = store.find(DeadLetterQuery.of(DeadLetterFilter.all(), 50));
 * store.replay(ReplayRequest.ofIds(List.of(id), "alice"));
 * }</pre>
 *
 * <p>Thread-safe. Give it a pooled {@link DataSource}: each call borrows one connection.
 */
public final class PostgresDeadLetterStore implements dev.dlq.spi.ReplayStore {
  private final DataSource dataSource;
  private final Sql sql;
  private final Clock clock;
  private final StoreOps ops;
  private final dev.dlq.spi.DlqObserver observer;
  private final dev.dlq.postgres.internal.PgReplayJobs jobs;
  private volatile String scope;

  private PostgresDeadLetterStore(Builder b) {
    this.dataSource = b.dataSource;
    this.sql = new Sql(b.schema);
    this.clock = b.clock;
    this.observer = b.observer;
    this.ops = new StoreOps(dataSource, sql, clock, b.observer, Map.copyOf(b.replayers));
    this.jobs = new dev.dlq.postgres.internal.PgReplayJobs(ops, sql);
    if (b.observer != dev.dlq.spi.DlqObserver.NONE) {
      registerGauges(b.observer);
    }
  }

  /**
   * Reports this store's dead letters by status on {@code observer}'s {@code dlq_dead_letters}
   * gauge, read from the database at most every 5 s when the gauge is read: the gauge stays current
   * without the application's help. The builder's observer is registered already.
   *
   * @param observer the observer whose {@code dlq_dead_letters} gauge to keep
   * @return a handle that stops the reporting
   */
  public AutoCloseable registerGauges(dev.dlq.spi.DlqObserver observer) {
    Checks.notNull(observer, "observer");
    java.util.List<AutoCloseable> handles = new java.util.ArrayList<>();
    dev.dlq.postgres.internal.StatusCounts counts = new dev.dlq.postgres.internal.StatusCounts(dataSource, sql);
    String label = "postgres:" + sql.schema;
    for (dev.dlq.DeadLetterStatus st : dev.dlq.DeadLetterStatus.values()) {
      handles.add(observer.gauge(dev.dlq.spi.DlqGauge.DEAD_LETTERS,
          java.util.List.of(label, st.name().toLowerCase(java.util.Locale.ROOT)), () -> counts.get(st)));
    }
    return () -> {
      for (AutoCloseable h : handles) {
        h.close();
      }
    };
  }

  /**
   * {@code postgres:<server>/<database>/<schema>}, read once from the database: a PostgreSQL queue
   * over the same database and schema writes its dead letters here in the task's own transaction.
   */
  @Override
  public java.util.Optional<String> transactionScope() {
    String s = scope;
    if (s == null) {
      s = dev.dlq.postgres.internal.Scope.of(dataSource, sql.schema);
      scope = s;
    }
    return java.util.Optional.of(s);
  }

  /**
   * A builder over {@code dataSource}.
   *
   * @param dataSource a pooled data source
   * @return a builder
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * The schema holding the tables.
   *
   * @return the schema holding the tables
   */
  public String schema() {
    return sql.schema;
  }

  /**
   * Records {@code deadLetter} in its own transaction: CREATED, REOPENED (it was not PENDING: death
   * count raised, back to PENDING) or ALREADY_RECORDED (it is PENDING: nothing changed).
   *
   * @throws dev.dlq.DlqException when the database fails; nothing was recorded
   */
  @Override
  public RecordResult record(DeadLetter deadLetter) {
    Checks.notNull(deadLetter, "deadLetter");
    return ops.inTransaction("record dead letter " + deadLetter.id(),
        c -> DeadLetterRows.upsert(c, sql, deadLetter, clock.instant()));
  }

  /**
   * Records {@code deadLetter} inside the caller's transaction on {@code connection}; neither commits nor closes it.
   *
   * @param connection the caller's connection, in its own transaction; neither committed nor closed
   * @param deadLetter the dead letter to record
   * @return whether the dead letter was created, or reopened an existing one
   */
  public RecordResult record(Connection connection, DeadLetter deadLetter) {
    Checks.notNull(connection, "connection");
    Checks.notNull(deadLetter, "deadLetter");
    try {
      return DeadLetterRows.upsert(connection, sql, deadLetter, clock.instant());
    } catch (SQLException e) {
      throw Jdbc.failure("could not record dead letter " + deadLetter.id(), e);
    }
  }

  /** @throws IllegalArgumentException when the cursor is malformed */
  @Override
  public Page<StoredDeadLetter> find(DeadLetterQuery query) {
    return ops.find(Checks.notNull(query, "query"));
  }

  @Override
  public long count(DeadLetterFilter filter) {
    return ops.count(Checks.notNull(filter, "filter"));
  }

  @Override
  public DeadLetterStats stats(DeadLetterFilter filter) {
    return ops.stats(Checks.notNull(filter, "filter"));
  }

  @Override
  public Optional<StoredDeadLetter> get(String id) {
    return ops.get(Checks.notBlank(id, "id"));
  }

  @Override
  public ReplayResult replay(ReplayRequest request) {
    return ReplayStore.replayDirect(this, Checks.notNull(request, "request"), observer, clock);
  }

  /** @throws IllegalArgumentException when an id is unknown; then nothing changes */
  @Override
  public int resolve(Collection<String> ids, String operator, String note) {
    return ops.transition(ids, operator, note, "resolve");
  }

  /** @throws IllegalArgumentException when an id is unknown; then nothing changes */
  @Override
  public int discard(Collection<String> ids, String operator, String note) {
    return ops.transition(ids, operator, note, "discard");
  }

  @Override
  public long purge(Instant cutoff, String operator) {
    Checks.notNull(cutoff, "cutoff");
    Checks.notBlank(operator, "operator");
    return ops.purge(cutoff, operator);
  }

  /**
   * Applies retention rules: for each, deletes the dead letters matching it (by type and/or
   * reason) that died longer than its {@code maxAge} ago and are no longer PENDING (unless the rule
   * includes pending ones). Logs a warning naming how many each rule will delete before deleting,
   * and audits it as operator {@code operator}.
   *
   * @param rules the rules, applied in order
   * @param operator who applies them, for the audit log
   * @return how many each rule deleted, in order
   */
  public List<Long> applyRetention(List<Retention> rules, String operator) {
    Checks.notNull(rules, "rules");
    Checks.notBlank(operator, "operator");
    return ops.retention(rules, operator);
  }

  @Override
  public void export(DeadLetterFilter filter, Consumer<StoredDeadLetter> sink) {
    ops.export(Checks.notNull(filter, "filter"), Checks.notNull(sink, "sink"));
  }

  /** @throws IllegalArgumentException when {@code limit} is below 1 */
  @Override
  public List<AuditEntry> audit(int limit) {
    return ops.audit(Checks.atLeast(limit, 1, "limit"));
  }

  /**
   * The replay ids of a dead letter, oldest first, with operator and time (lineage).
   *
   * @param id the dead letter's id
   * @return the replays, oldest first
   */
  public List<AuditEntry> replays(String id) {
    return ops.replays(Checks.notBlank(id, "id"));
  }

  // ---- the replay runner's primitives (dev.dlq.ReplayRunner); jobs live in replay_jobs (V5)

  /**
   * {@code postgres:<schema>}.
   *
   * @return the label of this store in metrics and logs
   */
  @Override
  public String label() {
    return "postgres:" + sql.schema;
  }

  /**
   * In one transaction: marks the dead letter REPLAYED (only if PENDING), sends it back (to this
   * schema's task table, or through the {@link Replayer} of its backend) and records the lineage.
   *
   * @param id the dead letter
   * @param replayId the replay (job) id recorded on it
   * @param operator who asked
   * @return SENT, or SKIPPED when not PENDING, unknown or not routable
   * @throws dev.dlq.StoreUnavailableException when the database cannot be reached
   */
  @Override
  public Outcome replayOne(String id, String replayId, String operator) {
    Checks.notBlank(id, "id");
    Checks.notBlank(replayId, "replayId");
    Checks.notBlank(operator, "operator");
    return ops.replayOne(id, replayId, operator) ? Outcome.SENT : Outcome.SKIPPED;
  }

  /**
   * {@link #replayOne} sending {@code copy} (an edited lineage child) instead of the stored message, in
   * the same one transaction; the dead letter keeps its original payload and headers.
   *
   * @param id the dead letter
   * @param copy the message to send
   * @param replayId the replay id recorded on it
   * @param operator who asked
   * @return SENT, or SKIPPED when not PENDING, unknown or not routable
   * @throws dev.dlq.StoreUnavailableException when the database cannot be reached
   */
  @Override
  public Outcome replayCopy(String id, dev.dlq.Message copy, String replayId, String operator) {
    Checks.notBlank(id, "id");
    Checks.notNull(copy, "copy");
    Checks.notBlank(replayId, "replayId");
    Checks.notBlank(operator, "operator");
    return ops.replayOne(id, copy, replayId, operator) ? Outcome.SENT : Outcome.SKIPPED;
  }

  /**
   * Reads ids only, newest dead first.
   *
   * @param filter which dead letters
   * @param cursor where to continue, empty for the first page
   * @param limit at most this many
   * @return a page of ids
   * @throws IllegalArgumentException when the cursor is malformed
   */
  @Override
  public Page<String> scanIds(DeadLetterFilter filter, Optional<String> cursor, int limit) {
    Checks.between(limit, 1, dev.dlq.DeadLetterQuery.MAX_LIMIT, "limit");
    return ops.scanIds(Checks.notNull(filter, "filter"), Checks.notNull(cursor, "cursor"), limit);
  }

  /**
   * Writes {@code entry} to {@code audit_log}.
   *
   * @param entry the entry
   */
  @Override
  public void appendAudit(AuditEntry entry) {
    ops.appendAudit(Checks.notNull(entry, "entry"));
  }

  /**
   * Inserts the job and its snapshot in one transaction.
   *
   * @param job the new job
   * @param ids its snapshot, in replay order
   * @return the job at version 1
   */
  @Override
  public dev.dlq.ReplayJob createJob(dev.dlq.ReplayJob job, List<String> ids) {
    return jobs.create(Checks.notNull(job, "job"), Checks.notNull(ids, "ids"));
  }

  /**
   * Writes {@code next} if the row is still at its version.
   *
   * @param next the job's new value, carrying the version it was read at
   * @return the job as written, or empty when the row moved on
   */
  @Override
  public Optional<dev.dlq.ReplayJob> updateJob(dev.dlq.ReplayJob next) {
    return jobs.update(Checks.notNull(next, "next"));
  }

  /**
   * One job.
   *
   * @param id the job id
   * @return the job, or empty
   */
  @Override
  public Optional<dev.dlq.ReplayJob> job(String id) {
    return jobs.get(Checks.notBlank(id, "id"));
  }

  /**
   * The latest jobs.
   *
   * @param limit at most this many
   * @return the jobs, newest first
   */
  @Override
  public List<dev.dlq.ReplayJob> jobs(int limit) {
    return jobs.latest(Checks.atLeast(limit, 1, "limit"));
  }

  /**
   * A part of a job's snapshot.
   *
   * @param jobId the job
   * @param from the first position
   * @param limit at most this many
   * @return the ids, in replay order
   */
  @Override
  public List<String> jobIds(String jobId, int from, int limit) {
    return jobs.ids(Checks.notBlank(jobId, "jobId"), Checks.atLeast(from, 0, "from"), Checks.atLeast(limit, 1, "limit"));
  }

  /**
   * Counts in one query.
   *
   * @param replayId the job's replay id
   * @param ids the ids it sent
   * @return how many of them died again after that replay
   */
  @Override
  public int diedAgain(String replayId, List<String> ids) {
    return ids.isEmpty() ? 0 : jobs.diedAgain(Checks.notBlank(replayId, "replayId"), ids);
  }

  @Override
  public String toString() {
    return "PostgresDeadLetterStore[" + sql.schema + "]";
  }

  /** Configures a {@link PostgresDeadLetterStore}. Mutable and not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private String schema = PostgresSchema.DEFAULT_SCHEMA;
    private Clock clock = Clock.systemUTC();
    private dev.dlq.spi.DlqObserver observer = dev.dlq.spi.DlqObserver.NONE;
    private final Map<String, Replayer> replayers = new HashMap<>();

    private Builder(DataSource dataSource) {
      this.dataSource = Checks.notNull(dataSource, "dataSource");
    }

    /**
     * The schema {@link PostgresSchema} created; default "dlq".
     *
     * @param schema the schema; a plain identifier
     * @return this builder
     */
    public Builder schema(String schema) { this.schema = Names.schema(schema); return this; }

    /**
     * The clock for times written; default UTC system clock.
     *
     * @param clock the clock deciding times (tests move it)
     * @return this builder
     */
    public Builder clock(Clock clock) { this.clock = Checks.notNull(clock, "clock"); return this; }

    /**
     * Hears replays ({@code dlq_replays_total}) and reads the dead letters by status
     * ({@code dlq_dead_letters}); default none.
     *
     * @param observer hears replays and reads the gauges
     * @return this builder
     */
    public Builder observer(dev.dlq.spi.DlqObserver observer) { this.observer = Checks.notNull(observer, "observer"); return this; }

    /**
     * Replays dead letters whose source backend is {@code backend} ("sqs", "nats") with {@code replayer}.
     * Backend "postgres" replays to this schema's task table without one.
     *
     * @param backend the source backend whose dead letters it replays ("sqs", "nats")
     * @param replayer the replayer
     * @return this builder
     */
    public Builder replayer(String backend, Replayer replayer) {
      replayers.put(Checks.notBlank(backend, "backend"), Checks.notNull(replayer, "replayer"));
      return this;
    }

    /**
     * Builds the store; no I/O until used.
     *
     * @return the store
     */
    public PostgresDeadLetterStore build() {
      return new PostgresDeadLetterStore(this);
    }
  }

  /**
   * One retention rule: dead letters of {@code type} (any when empty) dead for {@code reason} (any
   * when empty) are deleted once older than {@code maxAge}; PENDING ones only when
   * {@code includePending}. Immutable.
   *
   * @param type only dead letters of this type, or empty for any
   * @param reason only dead letters that died for this reason, or empty for any
   * @param maxAge how long after its death a dead letter may be deleted; positive
   * @param includePending whether PENDING dead letters are deleted too
   */
  public record Retention(Optional<String> type, Optional<dev.dlq.DeadLetterReason> reason, Duration maxAge,
      boolean includePending) {
    /**
     * Checks the components: {@code maxAge} positive, the optional ones not null.
     *
     * @param type only dead letters of this type, or empty for any
     * @param reason only dead letters that died for this reason, or empty for any
     * @param maxAge how long after its death a dead letter may be deleted; positive
     * @param includePending whether PENDING dead letters are deleted too
     */
    public Retention {
      Checks.notNull(type, "type");
      Checks.notNull(reason, "reason");
      Checks.positive(maxAge, "maxAge");
    }

    /**
     * Every dead letter no longer PENDING, older than {@code maxAge}.
     *
     * @param maxAge how long after its death a dead letter may be deleted
     * @return the rule
     */
    public static Retention of(Duration maxAge) {
      return new Retention(Optional.empty(), Optional.empty(), maxAge, false);
    }

    /**
     * This rule, only for dead letters of {@code type}.
     *
     * @param type the message type
     * @return a new rule
     */
    public Retention forType(String type) {
      return new Retention(Optional.of(Checks.notBlank(type, "type")), reason, maxAge, includePending);
    }

    /**
     * This rule, only for dead letters that died for {@code reason}.
     *
     * @param reason the reason
     * @return a new rule
     */
    public Retention forReason(dev.dlq.DeadLetterReason reason) {
      return new Retention(type, Optional.of(Checks.notNull(reason, "reason")), maxAge, includePending);
    }

    /**
     * This rule, deleting PENDING dead letters too.
     *
     * @return a new rule
     */
    public Retention includingPending() {
      return new Retention(type, reason, maxAge, true);
    }
  }
}
