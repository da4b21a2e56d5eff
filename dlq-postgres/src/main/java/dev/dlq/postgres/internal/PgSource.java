package dev.dlq.postgres.internal;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DlqException;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
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
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Source} over one queue of the task table: batch claim on a dedicated connection,
 * settling through a {@link Settler}, LISTEN/NOTIFY wake-ups and a lease {@link Reaper}.
 */
public final class PgSource implements Source {
  private static final Logger log = LoggerFactory.getLogger(PgSource.class);

  private final QueueConfig config;
  private final String owner;
  private final Predicate<DeadLetterSink> isLocalStore;
  private final Settler settler;
  private final Wakeup wakeup;
  private final Reaper reaper;
  private final int claimBatch;
  /** Claimed beyond what the worker asked for, handed out by the next polls; polling thread only. */
  private final ArrayDeque<Prefetched> prefetched = new ArrayDeque<>();
  private Connection claimConnection; // used by the polling thread only
  private volatile boolean closed;

  private record Prefetched(TaskRow row, long claimedAtNanos) {}

  /**
   * @param owner the lease owner written on claimed rows; unique per source
   * @param isLocalStore whether a sink is this schema's own dead-letter table (then a dead letter
   *     and the task's DEAD state are written in one transaction)
   */
  public PgSource(QueueConfig config, String owner, Predicate<DeadLetterSink> isLocalStore) {
    this.config = config;
    this.claimBatch = config.claimBatch();
    this.owner = owner;
    this.isLocalStore = isLocalStore;
    String name = "dlq-pg-" + config.queue() + "-" + owner;
    this.settler = new Settler(config.dataSource(), config.sql(), config.clock(), owner,
        !config.keepCompleted().isZero(), config.settleWriters(), name + "-settle");
    this.wakeup = config.listen() ? new Wakeup(config.dataSource(), config.wakeKey(), name + "-listen") : null;
    this.reaper = new Reaper(config);
    reaper.start(name + "-reaper");
  }

  @Override
  public List<? extends Delivery> poll(int max, Duration wait) throws InterruptedException {
    if (closed) {
      throw new DlqException("source " + name() + " is closed");
    }
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
        ps.setString(1, owner);
        ps.setObject(2, Jdbc.ts(now.plus(config.lease())));
        ps.setObject(3, Jdbc.ts(now));
        ps.setString(4, config.queue());
        ps.setObject(5, Jdbc.ts(now));
        ps.setInt(6, max);
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
    reaper.close();
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
      try {
        return row.history();
      } catch (RuntimeException e) {
        log.warn("task {} has an unreadable history; dead-lettering it without", row.id(), e);
        return List.of();
      }
    }

    @Override
    public void complete() {
      if (!settler.complete(row.id(), row.attempts())) {
        throw lost("complete");
      }
    }

    @Override
    public void retry(Duration delay, Attempt failed) {
      if (!settler.retry(row.id(), row.attempts(), delay, failed)) {
        throw lost("retry");
      }
      if (delay.isZero() && wakeup != null) {
        wakeup.signal();
      }
    }

    @Override
    public RecordResult deadLetter(DeadLetter deadLetter, DeadLetterSink sink) {
      List<Attempt> h = deadLetter.history();
      Attempt last = !h.isEmpty() ? h.get(h.size() - 1)
          : new Attempt(row.attempts(), deadLetter.deadAt(), deadLetter.errorClass(), deadLetter.errorType(),
              deadLetter.errorMessage(), Duration.ZERO, deadLetter.workerId());
      if (isLocalStore.test(sink)) {
        Settler.Result r = settler.dead(row.id(), row.attempts(), deadLetter, last, true);
        if (!r.held()) {
          throw lost("dead-letter");
        }
        return r.recorded();
      }
      RecordResult recorded = sink.record(deadLetter);
      Settler.Result r = settler.dead(row.id(), row.attempts(), deadLetter, last, false);
      if (!r.held()) {
        log.warn("task {} of queue {} was dead-lettered in {} but its lease was lost meanwhile; if it runs again and "
            + "dies again the sink sees the same dead-letter id", row.id(), config.queue(), sink.getClass().getName());
      }
      return recorded;
    }

    @Override
    public void release() {
      settler.release(row.id(), row.attempts());
      if (wakeup != null) {
        wakeup.signal();
      }
    }

    @Override
    public void extendLease(Duration extension) {
      settler.extend(row.id(), row.attempts(), extension);
    }

    private DlqException lost(String action) {
      return new DlqException("could not " + action + " task " + row.id() + " of queue " + config.queue()
          + ": its lease (attempt " + row.attempts() + ", owner " + owner + ") was lost, so another worker may be "
          + "running it; nothing was changed");
    }
  }
}
