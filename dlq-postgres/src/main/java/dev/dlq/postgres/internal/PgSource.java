package dev.dlq.postgres.internal;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DlqException;
import dev.dlq.LeaseLostException;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.DlqGauge;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.Settlement;
import dev.dlq.spi.Source;
import dev.dlq.spi.SourceContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Source} over one queue of the task table: batch claim on a dedicated connection,
 * settling through a {@link Settler}, LISTEN/NOTIFY wake-ups and a lease {@link Reaper}.
 */
public final class PgSource implements Source {
  private static final Logger log = LoggerFactory.getLogger(PgSource.class);

  private final QueueConfig base;
  private final String owner;
  private final Supplier<DeadLetterSink> ownStore;
  private final Settler settler;
  private final Wakeup wakeup;
  private final int claimBatch;
  private final String threadName;
  /** Claimed beyond what the worker asked for, handed out by the next polls; polling thread only. */
  private final ArrayDeque<Prefetched> prefetched = new ArrayDeque<>();
  private final List<AutoCloseable> gauges = new ArrayList<>();
  private Connection claimConnection; // used by the polling thread only
  private volatile boolean closed;
  // set once by open(): the configuration as the worker bound it
  private volatile QueueConfig config;
  private volatile Reaper reaper;
  private volatile boolean sinkSharesTransaction;
  private volatile DeadLetterSink sink;
  private volatile int backstop;
  private volatile String scope;

  private record Prefetched(TaskRow row, long claimedAtNanos) {}

  /**
   * @param owner the lease owner written on claimed rows; unique per source
   * @param ownStore this schema's dead-letter store, the default sink
   */
  public PgSource(QueueConfig config, String owner, Supplier<DeadLetterSink> ownStore) {
    this.base = config;
    this.config = config;
    this.claimBatch = config.claimBatch();
    this.owner = owner;
    this.ownStore = ownStore;
    this.threadName = "dlq-pg-" + config.queue() + "-" + owner;
    this.settler = new Settler(config.dataSource(), config.sql(), config.clock(), owner,
        !config.keepCompleted().isZero(), config.settleWriters(), threadName + "-settle");
    this.wakeup = config.listen() ? new Wakeup(config.dataSource(), config.wakeKey(), threadName + "-listen") : null;
  }

  @Override
  public synchronized void open(SourceContext context) {
    if (reaper != null) {
      throw new IllegalStateException("source " + name() + " of owner " + owner + " is already open");
    }
    sink = context.sink();
    sinkSharesTransaction = context.sinkSharesTransaction();
    backstop = context.crashBackstop().orElse(0);
    // the reaper records crash loops where the worker records its dead letters
    config = base.bind(sinkSharesTransaction ? null : sink, context.observer(), context.format());
    Reaper r = new Reaper(config);
    r.start(threadName + "-reaper");
    reaper = r;
    DlqObserver observer = context.observer();
    String label = config.sourceRef().toString();
    Sampled<double[]> depth = new Sampled<>("the depth of queue " + config.queue(), 5000, new double[2], this::depth);
    gauges.add(observer.gauge(DlqGauge.QUEUE_READY, List.of(label), () -> depth.get()[0]));
    gauges.add(observer.gauge(DlqGauge.QUEUE_OLDEST_READY_SECONDS, List.of(label), () -> depth.get()[1]));
  }

  /** Opens with what a worker would give when the source is used without one: its own table, no observer. */
  private void ensureOpen() {
    if (reaper == null) {
      synchronized (this) {
        if (reaper == null) {
          DeadLetterSink own = ownStore.get();
          open(new SourceContext() {
            @Override public String workerId() { return owner; }
            @Override public java.time.Clock clock() { return base.clock(); }
            @Override public DlqObserver observer() { return base.observer(); }
            @Override public DeadLetterSink sink() { return own; }
            @Override public boolean sinkSharesTransaction() { return true; }
            @Override public dev.dlq.DeadLetterFormat format() { return base.format(); }
            @Override public int attemptBudget(dev.dlq.ErrorClass errorClass) { return base.maxAttempts(); }
            @Override public Optional<Integer> crashBackstop() { return Optional.empty(); }
          });
        }
      }
    }
  }

  /**
   * Deep enough that the worker's unsettled messages fill one claim: settlements are group-committed,
   * so a worker that holds only one message per thread waits on each commit (docs/benchmarks.md).
   */
  @Override
  public int defaultPrefetch(int concurrency) {
    return Math.max(concurrency, claimBatch - concurrency);
  }

  /** A release gives the attempt back (the claim's increment is undone). */
  @Override
  public boolean releaseKeepsAttempt() {
    return true;
  }

  @Override
  public Optional<DeadLetterSink> defaultSink() {
    return Optional.of(ownStore.get());
  }

  @Override
  public Optional<String> transactionScope() {
    String s = scope;
    if (s == null) {
      s = Scope.of(base.dataSource(), base.sql().schema);
      scope = s;
    }
    return Optional.of(s);
  }

  private double[] depth() {
    Instant now = config.clock().instant();
    try (Connection c = config.dataSource().getConnection();
        PreparedStatement ps = Jdbc.bind(c.prepareStatement(config.sql().queueDepth), now, config.queue(), now);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new double[] {rs.getLong(1), Math.max(0, rs.getDouble(2))};
    } catch (SQLException e) {
      throw Jdbc.failure("could not read the depth of queue " + config.queue(), e);
    }
  }

  @Override
  public List<? extends Delivery> poll(int max, Duration wait) throws InterruptedException {
    if (closed) {
      throw new DlqException("source " + name() + " is closed");
    }
    ensureOpen();
    if (max < 1) {
      return List.of();
    }
    long deadline = System.nanoTime() + wait.toNanos();
    long seen = wakeup != null ? wakeup.sequence() : 0;
    List<PgDelivery> got = takePrefetched(max);
    if (got.size() == max) {
      return got;
    }
    got.addAll(claim(max - got.size()));
    if (!got.isEmpty() || wait.isZero()) {
      return got;
    }
    Instant now = config.clock().instant();
    long left = deadline - System.nanoTime();
    Optional<Instant> due = nextDue(now);
    if (due.isPresent()) {
      left = Math.min(left, Math.max(TimeUnit.MILLISECONDS.toNanos(1), Duration.between(now, due.get()).toNanos()));
    }
    boolean woken;
    if (wakeup != null) {
      woken = wakeup.await(seen, left);
    } else {
      TimeUnit.NANOSECONDS.sleep(Math.max(0, left));
      woken = true;
    }
    if (!woken && (due.isEmpty() || due.get().isAfter(config.clock().instant()))) {
      return List.of(); // idle: at most one claim per wait
    }
    return claim(max);
  }

  /** Hands out prefetched tasks; those held longer than half their lease go back to the queue instead. */
  private List<PgDelivery> takePrefetched(int max) {
    List<PgDelivery> out = new ArrayList<>(Math.min(max, Math.max(1, prefetched.size())));
    long stale = System.nanoTime() - config.lease().toNanos() / 2;
    synchronized (prefetched) {
      Prefetched p;
      while (out.size() < max && (p = prefetched.pollFirst()) != null) {
        if (p.claimedAtNanos() - stale < 0) {
          settler.releaseLater(p.row().id(), p.row().attempts());
        } else {
          out.add(new PgDelivery(p.row()));
        }
      }
    }
    return out;
  }

  /**
   * Claims up to {@code max} for the worker; when that is less than the claim batch, claims a full
   * batch and keeps the rest for the next polls, so that a worker that frees its capacity a few
   * messages at a time still claims in batches.
   */
  private List<PgDelivery> claim(int max) {
    int want = Math.max(max, claimBatch);
    List<TaskRow> rows = claimRows(want);
    List<PgDelivery> out = new ArrayList<>(Math.min(max, rows.size()));
    long now = System.nanoTime();
    for (TaskRow row : rows) {
      if (out.size() < max) {
        out.add(new PgDelivery(row));
      } else {
        synchronized (prefetched) {
          prefetched.addLast(new Prefetched(row, now));
        }
      }
    }
    return out;
  }

  private List<TaskRow> claimRows(int max) {
    Instant now = config.clock().instant();
    try {
      Connection c = claimConnection();
      try (PreparedStatement ps = c.prepareStatement(config.sql().claimBatch)) {
        ps.setInt(1, backstop);
        ps.setString(2, owner);
        ps.setObject(3, Jdbc.ts(now.plus(config.lease())));
        ps.setObject(4, Jdbc.ts(now));
        ps.setString(5, config.queue());
        ps.setObject(6, Jdbc.ts(now));
        ps.setInt(7, max);
        List<TaskRow> out = new ArrayList<>(Math.min(max, 256));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(TaskRow.read(rs));
          }
        }
        return out;
      }
    } catch (SQLException e) {
      closeClaimConnection();
      throw Jdbc.failure("could not claim tasks of queue " + config.queue(), e);
    }
  }

  private Optional<Instant> nextDue(Instant now) {
    try {
      Connection c = claimConnection();
      try (PreparedStatement ps = c.prepareStatement(config.sql().nextDue)) {
        ps.setString(1, config.queue());
        ps.setObject(2, Jdbc.ts(now));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.ofNullable(Jdbc.instant(rs, 1)) : Optional.empty();
        }
      }
    } catch (SQLException e) {
      closeClaimConnection();
      throw Jdbc.failure("could not read the next due task of queue " + config.queue(), e);
    }
  }

  private Connection claimConnection() throws SQLException {
    if (claimConnection == null) {
      Connection c = config.dataSource().getConnection();
      try {
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
          // a claim lost in a server crash leaves the task READY: harmless, so do not wait for the disk
          st.execute("SET synchronous_commit = off");
        }
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      claimConnection = c;
    }
    return claimConnection;
  }

  private void closeClaimConnection() {
    if (claimConnection != null) {
      try {
        claimConnection.close();
      } catch (SQLException e) {
        log.debug("closing the claim connection failed", e);
      }
      claimConnection = null;
    }
  }

  @Override
  public Duration lease() {
    return config.lease();
  }

  @Override
  public String name() {
    return config.queue();
  }

  /** Runs the lease reaper once now; returns how many expired tasks it returned or dead-lettered. */
  public int reapNow() {
    ensureOpen();
    return reaper.reap();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    synchronized (prefetched) {
      Prefetched p;
      while ((p = prefetched.pollFirst()) != null) {
        settler.releaseLater(p.row().id(), p.row().attempts());
      }
    }
    if (reaper != null) {
      reaper.close();
    }
    for (AutoCloseable g : gauges) {
      try {
        g.close();
      } catch (Exception e) {
        log.debug("closing a gauge failed", e);
      }
    }
    if (wakeup != null) {
      wakeup.close();
    }
    settler.close();
    synchronized (this) {
      closeClaimConnection();
    }
  }

  private final class PgDelivery implements Delivery {
    private final TaskRow row;
    private final Message message;
    private final Optional<Throwable> decodeFailure;

    PgDelivery(TaskRow row) {
      this.row = row;
      Map<String, String> headers;
      Optional<Throwable> failure = Optional.empty();
      try {
        headers = row.headers();
      } catch (RuntimeException e) {
        headers = Map.of();
        failure = Optional.of(new IllegalArgumentException("task " + row.id() + " has headers that are not a JSON "
            + "object of strings: " + e.getMessage(), e));
      }
      this.message = row.message(config.sourceRef(), headers);
      this.decodeFailure = failure;
    }

    @Override
    public Message message() {
      return message;
    }

    @Override
    public Optional<Throwable> decodeFailure() {
      return decodeFailure;
    }

    @Override
    public List<Attempt> history() {
      if (row.attempts() <= 1) {
        return List.of(); // a first attempt has no earlier failures
      }
      try {
        return Attempts.load(config.dataSource(), config.sql(), row.id());
      } catch (RuntimeException e) {
        log.warn("task {} has an unreadable history; dead-lettering it without", row.id(), e);
        return List.of();
      }
    }

    @Override
    public CompletionStage<RecordResult> settle(Settlement settlement) {
      if (settlement instanceof Settlement.Complete) {
        return settler.completeAsync(row.id(), row.attempts()).thenApply(held -> held(held, "complete"));
      }
      if (settlement instanceof Settlement.Retry r) {
        return settler.retryAsync(row.id(), row.attempts(), r.delay(), r.failed()).thenApply(held -> {
          held(held, "retry");
          if (r.delay().isZero() && wakeup != null) {
            wakeup.signal();
          }
          return null;
        });
      }
      if (settlement instanceof Settlement.Dead d) {
        return dead(d.deadLetter());
      }
      Duration delay = ((Settlement.Release) settlement).delay();
      return settler.releaseAsync(row.id(), row.attempts(), delay).thenApply(held -> {
        if (wakeup != null && delay.isZero()) {
          wakeup.signal();
        }
        return null;
      });
    }

    private CompletionStage<RecordResult> dead(DeadLetter deadLetter) {
      List<Attempt> h = deadLetter.history();
      Attempt last = !h.isEmpty() ? h.get(h.size() - 1)
          : new Attempt(row.attempts(), deadLetter.deadAt(), deadLetter.errorClass(), deadLetter.errorType(),
              deadLetter.errorMessage(), Duration.ZERO, deadLetter.workerId());
      if (sinkSharesTransaction) {
        return settler.deadAsync(row.id(), row.attempts(), deadLetter, last, true).thenApply(r -> {
          held(r.held(), "dead-letter");
          return r.recorded();
        });
      }
      RecordResult recorded = sink.record(deadLetter);
      return settler.deadAsync(row.id(), row.attempts(), deadLetter, last, false).thenApply(r -> {
        if (!r.held()) {
          log.warn("task {} of queue {} was dead-lettered in {} but its lease was lost meanwhile; if it runs again and "
              + "dies again the sink sees the same dead-letter id", row.id(), config.queue(), sink.getClass().getName());
        }
        return recorded;
      });
    }

    private RecordResult held(boolean held, String action) {
      if (!held) {
        throw lost(action);
      }
      return null;
    }

    @Override
    public void extendLease(Duration extension) {
      settler.extend(row.id(), row.attempts(), extension);
    }

    private DlqException lost(String action) {
      return new LeaseLostException(row.id(), config.queue(), "could not " + action + " task " + row.id() + " of queue " + config.queue()
          + ": its lease (attempt " + row.attempts() + ", owner " + owner + ") was lost, so another worker may be "
          + "running it; nothing was changed");
    }
  }
}
