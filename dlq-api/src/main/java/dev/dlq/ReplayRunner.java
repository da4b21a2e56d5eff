package dev.dlq;

import dev.dlq.ReplayJob.State;
import dev.dlq.internal.replay.JobLoop;
import dev.dlq.internal.replay.Jobs;
import dev.dlq.spi.Checks;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.ReplayStore;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Safe bulk replay over any {@link ReplayStore} (memory, PostgreSQL, NATS), written once:
 *
 * <ol>
 *   <li>{@link #prepare} snapshots the ids to replay (named ids, or the PENDING dead letters matching
 *       a filter) and keeps the job in the store as PLANNED: this is the dry run, its
 *       {@link ReplayJob#total()} and {@link #ids} are what the operator sees and exactly what
 *       will be replayed;
 *   <li>{@link #run} (blocking) or {@link #start} (on the runner's threads) sends the canary alone,
 *       watches it for {@link ReplayPlan.Settings#canaryWait()}, then ramps the rate 1, 2, 5, 10, ...
 *       up to the plan's maximum, one step per {@link ReplayPlan.Settings#stepDuration()};
 *   <li>after the canary and at each step it counts the sent messages that died again (their dead
 *       letter reopened after this job's replay) and stops by itself (STOPPED) above the plan's
 *       threshold;
 *   <li>{@link #pause}, {@link #resume} and {@link #cancel} work from any process over the same
 *       store: the runner sees the change at its next step.
 * </ol>
 *
 * <p>Crash safety: the job's position is written after each id, and each send marks the dead letter
 * REPLAYED with the job's id in the same atomic step. A runner killed mid-job leaves it RUNNING; a
 * new runner's {@link #run} (or {@link #recover}) goes on from the position, and an id whose record
 * already carries this job's replay id is counted as sent and never sent again.
 *
 * <pre>{@code
 * ReplayRunner runner = ReplayRunner.of(store);
 * ReplayJob plan = runner.prepare(ReplayPlan.builder("alice").group(fingerprint).maxRate(20).build());
 * // show plan.total() and runner.ids(plan.id(), 0, 10) to the operator, then:
 * ReplayJob done = runner.run(plan.id());
 * }</pre>
 *
 * <p>Metrics: the observers given to {@link Builder#observer} hear {@link DlqObserver#replayProgress} at
 * every checkpoint and read one gauge set per job ({@code dlq_replay_job_sent}, {@code _pending},
 * {@code _died_again}, {@code _rate}, {@code _running}, labels {@code store} and {@code job}; see
 * {@link dev.dlq.spi.DlqGauge}), updated after every message.
 *
 * <p>Thread-safe. One job runs on one thread at a time within a runner; two runners (processes)
 * running the same job send nothing twice but waste work, so run a job from one place.
 */
public final class ReplayRunner implements AutoCloseable {

  /** Waits between sends and steps; tests pass one that moves a fake clock. */
  @FunctionalInterface
  public interface Sleeper {
    /**
     * Waits {@code duration}.
     *
     * @param duration how long to wait
     * @throws InterruptedException when interrupted (the job stays RUNNING)
     */
    void sleep(Duration duration) throws InterruptedException;
  }

  private final ReplayStore store;
  private final Clock clock;
  private final Sleeper sleeper;
  private final DlqObserver observer;
  private final ExecutorService executor;
  private final java.util.Set<String> editable;
  private final dev.dlq.internal.replay.Edits.Policy editPolicy;
  private final dev.dlq.internal.replay.JobGauges gauges;
  private final Map<String, CompletableFuture<ReplayJob>> active = new ConcurrentHashMap<>();

  private ReplayRunner(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    DlqObserver told = DlqObserver.of(b.observers.toArray(new DlqObserver[0]));
    this.gauges = new dev.dlq.internal.replay.JobGauges(told, b.store.label());
    this.observer = DlqObserver.of(told, gauges);
    this.editable = java.util.Set.copyOf(b.editable);
    this.editPolicy = new dev.dlq.internal.replay.Edits.Policy(editable, b.redaction);
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "dlq-replay");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * A runner over {@code store} with the system clock and no observer.
   *
   * @param store the store of the dead letters and the jobs; it must implement {@link ReplayStore}
   * @return the runner
   * @throws IllegalArgumentException when {@code store} does not implement {@link ReplayStore}
   */
  public static ReplayRunner of(DeadLetterStore store) {
    return builder(store).build();
  }

  /**
   * A builder of a runner over {@code store}.
   *
   * @param store the store of the dead letters and the jobs; it must implement {@link ReplayStore}
   * @return a new builder
   * @throws IllegalArgumentException when {@code store} does not implement {@link ReplayStore}
   */
  public static Builder builder(DeadLetterStore store) {
    Checks.notNull(store, "store");
    if (!(store instanceof ReplayStore rs)) {
      throw new IllegalArgumentException("store " + store + " cannot run replay jobs: it does not implement "
          + ReplayStore.class.getName());
    }
    return new Builder(rs);
  }

  /**
   * The dry run: snapshots what {@code plan} replays and keeps it as a PLANNED job; sends nothing.
   *
   * @param plan what to replay and how
   * @return the PLANNED job
   * @throws IllegalArgumentException when the plan names, or its filter matches, more than the plan's
   *     {@code maxIds}
   */
  public ReplayJob prepare(ReplayPlan plan) {
    ReplayJob job = Jobs.prepare(store, Checks.notNull(plan, "plan"), clock);
    observer.replayProgress(job);
    return job;
  }

  /**
   * Ids {@code from} to {@code from + limit} of a job's snapshot, in replay order (the sample).
   *
   * @param jobId the job
   * @param from the first position, from 0
   * @param limit how many ids at most, 1 to 1000
   * @return the ids; fewer than {@code limit} at the end of the snapshot
   * @throws IllegalArgumentException when the job is unknown or {@code from} or {@code limit} is out of range
   */
  public List<String> ids(String jobId, int from, int limit) {
    Checks.atLeast(from, 0, "from");
    Checks.between(limit, 1, 1000, "limit");
    load(jobId);
    return store.jobIds(jobId, from, limit);
  }

  /**
   * Runs a PLANNED job, or resumes a RUNNING one (after a crash), in this thread until it completes,
   * stops, is paused or cancelled, or this thread is interrupted (then it stays RUNNING).
   *
   * @param jobId the job
   * @return the job as it stands when this call returns; a job in another state is returned unchanged
   * @throws IllegalArgumentException when the job is unknown
   */
  public ReplayJob run(String jobId) {
    ReplayJob job = load(jobId);
    if (job.state() == State.PLANNED) {
      job = Jobs.move(store, clock, jobId, EnumSet.of(State.PLANNED), State.RUNNING, "started by " + job.operator());
      audit(job, "replay-start");
    } else if (job.state() != State.RUNNING) {
      return job;
    }
    observer.replayProgress(job);
    return new JobLoop(store, clock, sleeper, observer, job).onSave(gauges::update).run();
  }

  /**
   * {@link #run} on the runner's threads; the same job twice gives the same future.
   *
   * @param jobId the job
   * @return the job as {@link #run} returns it, when it returns
   * @throws IllegalArgumentException when the job is unknown
   */
  public CompletableFuture<ReplayJob> start(String jobId) {
    load(jobId);
    CompletableFuture<ReplayJob> f = active.computeIfAbsent(jobId,
        id -> CompletableFuture.supplyAsync(() -> run(id), executor));
    f.whenComplete((j, e) -> active.remove(jobId, f));
    return f;
  }

  /**
   * Starts every job the store holds as RUNNING (left by a crash); call when a server starts. Looks at the
   * latest 1000 jobs.
   *
   * @return one future per job started, as {@link #start} returns it
   */
  public List<CompletableFuture<ReplayJob>> recover() {
    return store.jobs(1000).stream().filter(j -> j.state() == State.RUNNING).map(j -> start(j.id())).toList();
  }

  /**
   * Pauses a PLANNED or RUNNING job; a running loop stops at its next id.
   *
   * @param jobId the job
   * @param operator who pauses it (audited)
   * @return the PAUSED job
   * @throws IllegalArgumentException when the job is unknown or {@code operator} is blank
   * @throws IllegalStateException when the job is neither PLANNED nor RUNNING
   */
  public ReplayJob pause(String jobId, String operator) {
    return control(jobId, operator, EnumSet.of(State.PLANNED, State.RUNNING), State.PAUSED, "paused by ", "replay-pause");
  }

  /**
   * Marks a PAUSED, STOPPED or FAILED job RUNNING again; then {@link #run} or {@link #start} it.
   * The ramp starts again from its first rate.
   *
   * @param jobId the job
   * @param operator who resumes it (audited)
   * @return the RUNNING job
   * @throws IllegalArgumentException when the job is unknown or {@code operator} is blank
   * @throws IllegalStateException when the job is not PAUSED, STOPPED or FAILED
   */
  public ReplayJob resume(String jobId, String operator) {
    return control(jobId, operator, EnumSet.of(State.PAUSED, State.STOPPED, State.FAILED), State.RUNNING,
        "resumed by ", "replay-resume");
  }

  /**
   * Cancels a job that is not final; nothing more is sent.
   *
   * @param jobId the job
   * @param operator who cancels it (audited)
   * @return the CANCELLED job
   * @throws IllegalArgumentException when the job is unknown or {@code operator} is blank
   * @throws IllegalStateException when the job is final
   */
  public ReplayJob cancel(String jobId, String operator) {
    return control(jobId, operator, EnumSet.complementOf(EnumSet.of(State.CANCELLED, State.COMPLETED)), State.CANCELLED,
        "cancelled by ", "replay-cancel");
  }

  /**
   * Edit and replay: sends a corrected copy of one PENDING dead letter (new payload and/or headers) to
   * its source, as a lineage child with its own message id and the {@link ReplayEdit#PARENT_HEADER}
   * and {@link ReplayEdit#REPLAY_HEADER} headers; the dead letter becomes REPLAYED with the replay's id
   * and keeps its original payload. The diff (headers, JSON payload fields, or payload size and text)
   * goes to the audit log as action {@code edit-replay}, with the values {@link Builder#redaction}
   * names shown as {@link DeadLetterFormat#REDACTED}. Allowed only for the message types given to
   * {@link Builder#allowEdits}; off by default. Two racing edits of one dead letter send once.
   *
   * @param edit what to correct, by whom
   * @return the replay id, the copy sent and the diff
   * @throws EditNotAllowedException when the dead letter's type may not be edited (nothing changed)
   * @throws IllegalArgumentException when the dead letter is unknown or the edit changes nothing
   * @throws IllegalStateException when the dead letter is not PENDING, or could not be sent (nothing sent)
   * @throws DlqException when the store fails
   */
  public EditedReplay editAndReplay(ReplayEdit edit) {
    return dev.dlq.internal.replay.Edits.run(store, Checks.notNull(edit, "edit"), editPolicy, observer, clock);
  }

  /**
   * The message types whose dead letters {@link #editAndReplay} may correct; {@code *} means all.
   *
   * @return the types, empty when edits are off (the default)
   */
  public java.util.Set<String> editableTypes() {
    return editable;
  }

  /**
   * One job.
   *
   * @param jobId the job
   * @return the job, or empty when the store does not hold it
   */
  public Optional<ReplayJob> job(String jobId) {
    return store.job(Checks.notBlank(jobId, "jobId"));
  }

  /**
   * The latest jobs, newest first.
   *
   * @param limit how many at most, 1 to 1000
   * @return the jobs
   */
  public List<ReplayJob> jobs(int limit) {
    return store.jobs(Checks.between(limit, 1, 1000, "limit"));
  }

  /**
   * Interrupts the running jobs (they stay RUNNING, to be resumed), stops the runner's threads and
   * removes its job gauges from the observers.
   */
  @Override
  public void close() {
    executor.shutdownNow();
    gauges.close();
  }

  private ReplayJob control(String jobId, String operator, EnumSet<State> from, State to, String why, String action) {
    Checks.notBlank(operator, "operator");
    load(jobId);
    ReplayJob job = Jobs.move(store, clock, jobId, from, to, why + operator);
    store.appendAudit(new AuditEntry(clock.instant(), operator, action, "replay job " + jobId, job.sent(),
        "replayId=" + jobId + ", state=" + job.state()));
    observer.replayProgress(job);
    return job;
  }

  private void audit(ReplayJob job, String action) {
    store.appendAudit(new AuditEntry(clock.instant(), job.operator(), action, job.target(), job.total(),
        "replayId=" + job.id()));
  }

  private ReplayJob load(String jobId) {
    Checks.notBlank(jobId, "jobId");
    return store.job(jobId).orElseThrow(() -> new IllegalArgumentException("unknown replay job '" + jobId + "'"));
  }

  /** Configures a {@link ReplayRunner}. Mutable, not thread-safe. */
  public static final class Builder {
    private final ReplayStore store;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = d -> Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
    private final java.util.List<DlqObserver> observers = new java.util.ArrayList<>();
    private final java.util.Set<String> editable = new java.util.TreeSet<>();
    private DeadLetterFormat redaction = DeadLetterFormat.defaults();

    private Builder(ReplayStore store) {
      this.store = store;
    }

    /**
     * The clock of job times and ramp steps; default UTC system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) { this.clock = Checks.notNull(clock, "clock"); return this; }

    /**
     * How the runner waits between sends; default {@link Thread#sleep}.
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) { this.sleeper = Checks.notNull(sleeper, "sleeper"); return this; }

    /**
     * Hears {@code replayed} and {@code replayProgress}; repeatable.
     *
     * @param observer one more observer
     * @return this builder
     */
    public Builder observer(DlqObserver observer) { observers.add(Checks.notNull(observer, "observer")); return this; }

    /**
     * Allows {@link ReplayRunner#editAndReplay} on dead letters of these message types; {@code *}
     * allows every type. Edits are off by default; repeatable, the types add up.
     *
     * @param types message types, not blank
     * @return this builder
     * @throws IllegalArgumentException when a type is null or blank
     */
    public Builder allowEdits(java.util.Collection<String> types) {
      Checks.notNull(types, "types").forEach(t -> editable.add(Checks.notBlank(t, "type").trim()));
      return this;
    }

    /**
     * The headers and JSON payload fields whose values the edit diff (audit log, {@link EditedReplay#changes})
     * shows as {@link DeadLetterFormat#REDACTED}; default {@link DeadLetterFormat#defaults()} (none). Give
     * it the format the store and the console use.
     *
     * @param format the redaction
     * @return this builder
     */
    public Builder redaction(DeadLetterFormat format) { this.redaction = Checks.notNull(format, "format"); return this; }

    /**
     * Builds the runner; close it to stop its threads.
     *
     * @return the runner
     */
    public ReplayRunner build() {
      return new ReplayRunner(this);
    }
  }
}
