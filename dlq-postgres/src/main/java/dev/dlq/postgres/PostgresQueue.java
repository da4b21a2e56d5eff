package dev.dlq.postgres;

import dev.dlq.spi.Checks;
import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.SourceRef;
import dev.dlq.spi.Checks;
import dev.dlq.postgres.internal.Enqueuer;
import dev.dlq.postgres.internal.Names;
import dev.dlq.postgres.internal.PgSource;
import dev.dlq.postgres.internal.QueueConfig;
import dev.dlq.postgres.internal.Reaper;
import dev.dlq.postgres.internal.Sql;
import dev.dlq.postgres.internal.TaskCalls;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Source;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * One queue of dlq's PostgreSQL task table: enqueue (alone, in batches, or inside the caller's own
 * transaction: the outbox), {@link #source()} for a {@link dev.dlq.Worker}, and the one-task calls
 * of DB-authority mode, where a transport such as SQS carries task ids and this table decides
 * ({@link #claim}, {@link #complete}, {@link #fail}); {@link #state} reads where one task stands.
 *
 * <pre>{@code
 * PostgresSchema.migrate(dataSource);
 * PostgresQueue orders = PostgresQueue.builder(dataSource, "orders").build();
 * orders.enqueue("order.created", json, Map.of("tenant", "acme"));
 * try (Worker worker = Worker.builder(orders.source(), processor)
 *     .retryPolicy(RetryPolicy.exponential(Duration.ofMillis(200), Duration.ofSeconds(30), 5))
 *     .observer(metrics)
 *     .build().start()) {
 *   ...   // dead letters go to this schema's table, in the task's own transaction
 * }
 * }</pre>
 *
 * <p>Give it a pooled {@link DataSource} (HikariCP or your application's pool): each source keeps
 * three connections of its own (claim, settle, LISTEN) and borrows one now and then for its lease
 * reaper; the other calls borrow one per call. Thread-safe.
 */
public final class PostgresQueue {
  /** The backend name in {@link SourceRef}s of tasks from this table. */
  public static final String BACKEND = "postgres";

  private final QueueConfig config;
  private final Enqueuer enqueuer;
  private final TaskCalls calls;
  private final String workerIdPrefix;

  private PostgresQueue(QueueConfig config, String workerIdPrefix) {
    this.config = config;
    this.enqueuer = new Enqueuer(config);
    this.calls = new TaskCalls(config);
    this.workerIdPrefix = workerIdPrefix;
  }

  /**
   * A builder for queue {@code queue} (any non-blank name) over {@code dataSource}.
   *
   * @param dataSource a pooled data source
   * @param queue the queue's name; any non-blank name
   * @return a builder
   * @throws IllegalArgumentException when an argument is null or blank
   */
  public static Builder builder(DataSource dataSource, String queue) {
    return new Builder(dataSource, queue);
  }

  /**
   * The queue's name.
   *
   * @return the queue's name
   */
  public String queue() {
    return config.queue();
  }

  /**
   * The schema holding the tables.
   *
   * @return the schema holding the tables
   */
  public String schema() {
    return config.sql().schema;
  }

  /**
   * Where tasks of this queue say they came from: {@code postgres:<queue>}.
   *
   * @return {@code postgres:<queue>}
   */
  public SourceRef sourceRef() {
    return config.sourceRef();
  }

  // ---- enqueue

  /**
   * Enqueues a task of {@code type} to run now; returns its id.
   *
   * @param type the message type; not blank
   * @param payload the body (copied)
   * @param headers string headers (copied); none may hold NUL
   * @return the new task's id
   * @throws IllegalArgumentException when an argument is null or blank, or a header holds NUL
   * @throws dev.dlq.DlqException when the database fails
   */
  public String enqueue(String type, byte[] payload, Map<String, String> headers) {
    return enqueue(NewTask.of(type, payload, headers));
  }

  /**
   * Enqueues {@code task} in its own transaction; returns its id (an existing id is left as it is).
   *
   * @param task the task
   * @return the task's id
   */
  public String enqueue(NewTask task) {
    return enqueuer.enqueue(List.of(Checks.notNull(task, "task"))).get(0);
  }

  /**
   * Enqueues {@code tasks} in one transaction; returns their ids in order.
   *
   * @param tasks the tasks, in order
   * @return the tasks' ids, in order
   */
  public List<String> enqueueBatch(List<NewTask> tasks) {
    return enqueuer.enqueue(Checks.notNull(tasks, "tasks"));
  }

  /**
   * The outbox: enqueues a task inside the caller's transaction on {@code connection}, so it exists
   * if and only if that transaction commits (workers are notified at commit). Neither commits nor
   * closes {@code connection}.
   *
   * @param connection the caller's connection, in its own transaction; neither committed nor closed
   * @param type the message type; not blank
   * @param payload the body (copied)
   * @param headers string headers (copied); none may hold NUL
   * @return the new task's id
   */
  public String enqueue(Connection connection, String type, byte[] payload, Map<String, String> headers) {
    return enqueue(connection, NewTask.of(type, payload, headers));
  }

  /**
   * The outbox with a full {@link NewTask}; see {@link #enqueue(Connection, String, byte[], Map)}.
   *
   * @param connection the caller's connection, in its own transaction; neither committed nor closed
   * @param task the task
   * @return the task's id
   */
  public String enqueue(Connection connection, NewTask task) {
    return enqueuer.enqueue(Checks.notNull(connection, "connection"), List.of(Checks.notNull(task, "task"))).get(0);
  }

  /**
   * The outbox for many tasks; see {@link #enqueue(Connection, String, byte[], Map)}.
   *
   * @param connection the caller's connection, in its own transaction; neither committed nor closed
   * @param tasks the tasks, in order
   * @return the tasks' ids, in order
   */
  public List<String> enqueueBatch(Connection connection, List<NewTask> tasks) {
    return enqueuer.enqueue(Checks.notNull(connection, "connection"), Checks.notNull(tasks, "tasks"));
  }

  // ---- workers

  /**
   * A new {@link Source} over this queue for a {@link dev.dlq.Worker}, which owns and closes it, with
   * a unique lease owner. It claims ready tasks in batches with one statement, settles them in group
   * commits, wakes on LISTEN/NOTIFY and reaps expired leases. Its crash backstop (the task's
   * max_attempts, set on claim) is the worker's retry policy's attempt budget; its default sink is
   * {@link #deadLetterStore()}, written in the task's own transaction.
   *
   * @return a new source, owned by the worker it is given to
   */
  public Source source() {
    return source(workerIdPrefix + "-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /**
   * A new {@link Source} whose leases name {@code owner}; owners must be unique among live sources.
   *
   * @param owner the lease owner, unique among live sources
   * @return a new source; close it after the worker
   */
  public Source source(String owner) {
    Checks.notBlank(owner, "owner");
    return new PgSource(config, owner, this::deadLetterStore);
  }

  /**
   * A dead-letter store over the same database, schema and clock.
   *
   * @return a store over this queue's schema
   */
  public PostgresDeadLetterStore deadLetterStore() {
    return PostgresDeadLetterStore.builder(config.dataSource()).schema(config.sql().schema).clock(config.clock()).build();
  }

  /**
   * Runs the lease reaper once now (sources also run it every {@code reapInterval}): tasks whose
   * lease expired return to the queue with their attempt counted; those that used their attempt
   * budget that way are dead-lettered as LEASE_EXPIRED.
   *
   * @return how many expired tasks were returned or dead-lettered
   */
  public int reapExpiredLeases() {
    return new Reaper(config).reap();
  }

  // ---- DB-authority mode

  /**
   * Claims task {@code taskId} for {@code workerId} with a lease of {@code lease}. Empty when it is
   * not claimable: missing, of another queue, leased by a worker whose lease has not expired, done,
   * or dead. A task whose lease expired is taken over (its attempt counted) unless that used its budget.
   *
   * @param taskId the task's id (the message id its workers see)
   * @param workerId the lease owner that claimed the task
   * @param lease how long a claim holds before it expires; positive
   * @return the claimed task, or empty when it is not claimable
   */
  public Optional<PostgresTask> claim(String taskId, String workerId, Duration lease) {
    return claim(taskId, workerId, lease, 0);
  }

  /**
   * {@link #claim(String, String, Duration)} by a worker whose retry policy allows {@code maxAttempts}
   * attempts: the claim writes it as the task's budget (its crash backstop), so the policy states the
   * budget once. 0 keeps the task's own budget (5, or {@link NewTask#withMaxAttempts}).
   *
   * @param taskId the task's id (the message id its workers see)
   * @param workerId the lease owner
   * @param lease how long the claim holds
   * @param maxAttempts the claiming worker's attempt budget, written on the task; 0 keeps the task's
   * @return the task, or empty when it is not claimable
   */
  public Optional<PostgresTask> claim(String taskId, String workerId, Duration lease, int maxAttempts) {
    Checks.notBlank(taskId, "taskId");
    Checks.notBlank(workerId, "workerId");
    Checks.positive(lease, "lease");
    Checks.atLeast(maxAttempts, 0, "maxAttempts");
    return calls.claim(taskId, workerId, lease, maxAttempts).map(c -> new PostgresTask(c.row().id(), config.queue(), c.row().type(),
        c.row().payload(), c.headers(), Math.max(1, c.row().attempts()), c.row().maxAttempts(), c.row().createdAt(),
        c.history(), workerId, c.leaseUntil()));
  }

  /**
   * Completes a task held by {@code workerId}; false when it was not held (nothing changed).
   *
   * @param taskId the task's id (the message id its workers see)
   * @param workerId the lease owner that claimed the task
   * @return true when the task was held and is now done
   */
  public boolean complete(String taskId, String workerId) {
    return calls.complete(Checks.notBlank(taskId, "taskId"), Checks.notBlank(workerId, "workerId"));
  }

  /**
   * A failed attempt of a task held by {@code workerId}: reschedules it after {@code retryDelay}, or,
   * when it has used its attempt budget, marks it DEAD and writes its dead letter (reason
   * EXHAUSTED) in the same transaction. Report that death to your observers yourself when
   * {@link FailOutcome#becameDead()}; a worker whose source calls this does so.
   *
   * @param taskId the task's id (the message id its workers see)
   * @param workerId the lease owner that claimed the task
   * @param retryDelay how long to wait before the next attempt
   * @param failed the attempt that failed, appended to the task's history
   * @return what happened to the task
   */
  public FailOutcome fail(String taskId, String workerId, Duration retryDelay, Attempt failed) {
    Checks.notBlank(taskId, "taskId");
    Checks.notBlank(workerId, "workerId");
    Checks.notNegative(retryDelay, "retryDelay");
    Checks.notNull(failed, "failed");
    return outcome(taskId, calls.fail(taskId, workerId, retryDelay, failed, null));
  }

  /**
   * Gives up on a task held by {@code workerId}: marks it DEAD and writes {@code deadLetter} in the
   * same transaction. Of several concurrent calls for one task, exactly one returns
   * {@link FailOutcome#becameDead()}; its {@link FailOutcome#recorded()} is what a
   * {@link dev.dlq.spi.Delivery#settle} of a dead letter completes with.
   *
   * @param taskId the task's id (the message id its workers see)
   * @param workerId the lease owner that claimed the task
   * @param deadLetter the dead letter to record with the task
   * @return what happened to the task and its dead letter
   */
  public FailOutcome fail(String taskId, String workerId, DeadLetter deadLetter) {
    Checks.notBlank(taskId, "taskId");
    Checks.notBlank(workerId, "workerId");
    Checks.notNull(deadLetter, "deadLetter");
    return outcome(taskId, calls.fail(taskId, workerId, Duration.ZERO, null, deadLetter));
  }

  private static FailOutcome outcome(String taskId, TaskCalls.Failed f) {
    switch (f.status()) {
      case "RESCHEDULED": return FailOutcome.rescheduled(taskId, f.attempts(), f.nextRunAt());
      case "DEAD": return FailOutcome.dead(taskId, f.attempts(), f.deadLetter(), f.recorded());
      default: return FailOutcome.notHeld(taskId, f.attempts());
    }
  }

  /**
   * Extends the lease of a task held by {@code workerId} to at least now + {@code extension}; false when not held.
   *
   * @param taskId the task's id (the message id its workers see)
   * @param workerId the lease owner that claimed the task
   * @param extension how long from now the lease must at least hold
   * @return true when the task was held and its lease extended
   */
  public boolean extendLease(String taskId, String workerId, Duration extension) {
    return calls.extend(Checks.notBlank(taskId, "taskId"), Checks.notBlank(workerId, "workerId"),
        Checks.positive(extension, "extension"));
  }

  /**
   * Gives a task held by {@code workerId} back at once without spending its attempt; false when not held.
   *
   * @param taskId the task's id (the message id its workers see)
   * @param workerId the lease owner that claimed the task
   * @return true when the task was held and is now ready again
   */
  public boolean release(String taskId, String workerId) {
    return calls.release(Checks.notBlank(taskId, "taskId"), Checks.notBlank(workerId, "workerId"));
  }

  /**
   * Where task {@code taskId} of this queue stands now: its status, attempts, lease and last error,
   * read from the task table in one statement (a snapshot; the task may move on at once). Empty when
   * this queue has no task with that id: never enqueued, of another queue, or finished and already
   * removed (a completed task is deleted at once unless {@link Builder#keepCompleted} is set;
   * finished tasks are trimmed after {@code keepCompleted} or {@link Builder#keepDead}).
   *
   * @param taskId the task's id (the message id its workers see); not blank
   * @return the task's state, or empty when this queue has no such task
   * @throws IllegalArgumentException when {@code taskId} is null or blank
   * @throws dev.dlq.DlqException when the database fails
   */
  public Optional<PostgresTaskState> state(String taskId) {
    return calls.state(Checks.notBlank(taskId, "taskId"));
  }

  @Override
  public String toString() {
    return "PostgresQueue[" + config.sql().schema + "." + config.queue() + "]";
  }

  /** Configures a {@link PostgresQueue}. Mutable and not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final String queue;
    private String schema = PostgresSchema.DEFAULT_SCHEMA;
    private Clock clock = Clock.systemUTC();
    private Duration lease = Duration.ofSeconds(30);
    private Duration keepCompleted = Duration.ZERO;
    private Duration keepDead = Duration.ofDays(7);
    private Duration reapInterval = Duration.ofSeconds(5);
    private boolean listen = true;
    private DeadLetterSink sink;
    private dev.dlq.spi.DlqObserver observer = dev.dlq.spi.DlqObserver.NONE;
    private DeadLetterFormat format = DeadLetterFormat.defaults();
    private String workerIdPrefix;
    private int settleWriters = 2;
    private int claimBatch = 100;

    private Builder(DataSource dataSource, String queue) {
      this.dataSource = Checks.notNull(dataSource, "dataSource");
      this.queue = Checks.notBlank(queue, "queue");
    }

    /**
     * The schema {@link PostgresSchema#migrate(DataSource, String)} created; default "dlq".
     *
     * @param schema the schema; a plain identifier
     * @return this builder
     */
    public Builder schema(String schema) { this.schema = Names.schema(schema); return this; }

    /**
     * The clock for run-at times and leases; default UTC system clock.
     *
     * @param clock the clock deciding times (tests move it)
     * @return this builder
     */
    public Builder clock(Clock clock) { this.clock = Checks.notNull(clock, "clock"); return this; }

    /**
     * How long a claim holds a task unless extended (workers extend it while they run); default 30 s.
     *
     * @param lease the lease; positive
     * @return this builder
     */
    public Builder lease(Duration lease) { this.lease = Checks.positive(lease, "lease"); return this; }

    /**
     * Keep completed tasks as DONE this long instead of deleting them at once; default zero.
     *
     * @param d how long; zero deletes them at once
     * @return this builder
     */
    public Builder keepCompleted(Duration d) { this.keepCompleted = Checks.notNegative(d, "keepCompleted"); return this; }

    /**
     * Keep DEAD task rows this long (their dead letters stay in the store); default 7 days.
     *
     * @param d how long; zero deletes them at once
     * @return this builder
     */
    public Builder keepDead(Duration d) { this.keepDead = Checks.notNegative(d, "keepDead"); return this; }

    /**
     * How often each source reaps expired leases and trims finished rows; default 5 s.
     *
     * @param d the interval; positive
     * @return this builder
     */
    public Builder reapInterval(Duration d) { this.reapInterval = Checks.positive(d, "reapInterval"); return this; }

    /**
     * Wake idle sources with LISTEN/NOTIFY; default true (false: they poll every poll wait).
     *
     * @param listen false to poll instead
     * @return this builder
     */
    public Builder listen(boolean listen) { this.listen = listen; return this; }

    /**
     * Where crash loops and DB-authority deaths are recorded; default this schema's dead-letter
     * table, in the same transaction as the task's DEAD state.
     *
     * @param sink where those dead letters go
     * @return this builder
     */
    public Builder deadLetters(DeadLetterSink sink) { this.sink = Checks.notNull(sink, "sink"); return this; }

    /**
     * Hears the crash-loop deaths {@link #reapExpiredLeases()} finds when it runs outside a worker;
     * a worker's source reports to the worker's observers instead. Default none.
     *
     * @param observer hears those deaths
     * @return this builder
     */
    public Builder observer(dev.dlq.spi.DlqObserver observer) { this.observer = Checks.notNull(observer, "observer"); return this; }

    /**
     * Budgets and redaction for dead letters this queue writes itself; default {@link DeadLetterFormat#defaults()}.
     *
     * @param format the budgets and redaction
     * @return this builder
     */
    public Builder format(DeadLetterFormat format) { this.format = Checks.notNull(format, "format"); return this; }

    /**
     * Prefix of generated lease owners; default host name and process id.
     *
     * @param prefix the prefix; not blank
     * @return this builder
     */
    public Builder workerIdPrefix(String prefix) { this.workerIdPrefix = Checks.notBlank(prefix, "workerIdPrefix"); return this; }

    /**
     * How many connections each source settles on at once; default 2. Completions, retries and
     * dead letters that arrive together are written in one transaction; with two writers one batch
     * is written while the other waits for its commit.
     *
     * @param n connections per source; at least 1
     * @return this builder
     */
    public Builder settleConnections(int n) { this.settleWriters = Checks.atLeast(n, 1, "settleConnections"); return this; }

    /**
     * The fewest tasks a source claims in one statement; default 100. When its worker asks for
     * fewer, the rest wait in the source (leased, handed out by the next polls, returned to the
     * queue if not handed out within half a lease). 1 turns prefetching off.
     *
     * @param n tasks per claim; at least 1
     * @return this builder
     */
    public Builder claimBatch(int n) { this.claimBatch = Checks.atLeast(n, 1, "claimBatch"); return this; }

    /**
     * Builds the queue; no I/O until used (check the schema with
     * {@link PostgresSchema#verify} first if you want to fail early).
     *
     * @return the queue
     */
    public PostgresQueue build() {
      QueueConfig config = new QueueConfig(dataSource, new Sql(schema), queue, clock, lease,
          QueueConfig.DEFAULT_MAX_ATTEMPTS, keepCompleted, keepDead, reapInterval, listen, sink, observer, format,
          settleWriters, claimBatch);
      return new PostgresQueue(config, workerIdPrefix != null ? workerIdPrefix : defaultPrefix());
    }

    private static String defaultPrefix() {
      String host = System.getenv("HOSTNAME");
      return (host == null || host.isBlank() ? "dlq" : host) + "-" + ProcessHandle.current().pid();
    }
  }
}
