package dev.dlq.postgres.internal;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DlqException;
import dev.dlq.RecordResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the settle calls of one source: processing threads hand in completions,
 * retries, dead letters, releases and lease extensions; one thread writes everything that arrived
 * meanwhile in one transaction and then wakes the callers. Each call returns only after the commit
 * that made its outcome durable; lease extensions and releases alone commit asynchronously.
 */
final class Settler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Settler.class);
  private static final long WAIT_SECONDS = 120;

  private sealed interface Op permits Complete, Retry, Dead, Release, Extend {}

  private record Complete(String id, int attempts, CompletableFuture<Boolean> done) implements Op {}

  private record Retry(String id, int attempts, long delayMillis, Attempt failed, CompletableFuture<Boolean> done)
      implements Op {}

  /** {@code record}: write the dead letter here, in the same transaction; else only mark the task. */
  private record Dead(String id, int attempts, DeadLetter dl, Attempt last, boolean record,
      CompletableFuture<Result> done) implements Op {}

  private record Release(String id, int attempts, long delayMillis, CompletableFuture<Boolean> done) implements Op {}

  private record Extend(String id, int attempts, Duration by) implements Op {}

  /** Whether a dead-lettering found the task held, and what recording did. */
  record Result(boolean held, RecordResult recorded) {}

  private final DataSource dataSource;
  private final Sql sql;
  private final Clock clock;
  private final String owner;
  private final boolean keepCompleted;
  private final Object lock = new Object();
  private List<Op> pending = new ArrayList<>();
  private boolean closed;
  private final List<Thread> threads = new ArrayList<>();

  /**
   * @param writers how many threads (and connections) write at once: while one waits for its
   *     commit to reach the disk, the next batch is already being written
   */
  Settler(DataSource dataSource, Sql sql, Clock clock, String owner, boolean keepCompleted, int writers,
      String threadName) {
    this.dataSource = dataSource;
    this.sql = sql;
    this.clock = clock;
    this.owner = owner;
    this.keepCompleted = keepCompleted;
    for (int i = 0; i < writers; i++) {
      Thread t = new Thread(new Writer(), threadName + "-" + (i + 1));
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  CompletableFuture<Boolean> completeAsync(String id, int attempts) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    submit(new Complete(id, attempts, f));
    return f;
  }

  CompletableFuture<Boolean> retryAsync(String id, int attempts, Duration delay, Attempt failed) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    submit(new Retry(id, attempts, Math.max(0, delay.toMillis()), failed, f));
    return f;
  }

  CompletableFuture<Result> deadAsync(String id, int attempts, DeadLetter dl, Attempt last, boolean record) {
    CompletableFuture<Result> f = new CompletableFuture<>();
    submit(new Dead(id, attempts, dl, last, record, f));
    return f;
  }

  CompletableFuture<Boolean> releaseAsync(String id, int attempts, Duration delay) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    submit(new Release(id, attempts, delay.toMillis(), f));
    return f;
  }

  /** Releases a claimed task without waiting for it (a prefetched task that was never handed out). */
  void releaseLater(String id, int attempts) {
    submit(new Release(id, attempts, 0, new CompletableFuture<>()));
  }

  /** Extends a lease without waiting for it. */
  void extend(String id, int attempts, Duration by) {
    submit(new Extend(id, attempts, by));
  }

  private void submit(Op op) {
    synchronized (lock) {
      if (closed) {
        throw new DlqException("the source is closed; the task returns to its queue when its lease ends");
      }
      pending.add(op);
      if (pending.size() == 1) {
        lock.notify();
      }
    }
  }

  private static void fail(Op op, Exception e) {
    DlqException x = e instanceof SQLException s ? Jdbc.failure("could not settle a task", s)
        : e instanceof DlqException d ? d : new DlqException("could not settle a task: " + e, e);
    if (op instanceof Complete c) {
      c.done.completeExceptionally(x);
    } else if (op instanceof Retry r) {
      r.done.completeExceptionally(x);
    } else if (op instanceof Dead d) {
      d.done.completeExceptionally(x);
    } else if (op instanceof Release r) {
      r.done.completeExceptionally(x);
    } else {
      log.warn("could not extend a lease: {}", x.getMessage());
    }
  }

  /** One writing thread with its own connection. */
  private final class Writer implements Runnable {
    private Connection connection;

    @Override
    public void run() {
      while (true) {
        List<Op> batch;
        synchronized (lock) {
          while (pending.isEmpty() && !closed) {
            try {
              lock.wait();
            } catch (InterruptedException e) {
              // keep draining: callers are waiting for their outcomes
            }
          }
          if (pending.isEmpty()) {
            break;
          }
          batch = pending;
          pending = new ArrayList<>();
        }
        flush(batch);
      }
      closeConnection();
    }

    private void flush(List<Op> batch) {
      try {
        write(batch);
      } catch (SQLException | RuntimeException e) {
        closeConnection();
        if (batch.size() == 1) {
          fail(batch.get(0), e);
          return;
        }
        // one bad write must not fail its neighbours: write each alone
        for (Op op : batch) {
          try {
            write(List.of(op));
          } catch (SQLException | RuntimeException e1) {
            closeConnection();
            fail(op, e1);
          }
        }
      }
    }

    private Connection connection() throws SQLException {
      if (connection == null) {
        Connection c = dataSource.getConnection();
        try {
          c.setAutoCommit(false);
        } catch (SQLException e) {
          c.close();
          throw e;
        }
        connection = c;
      }
      return connection;
    }

    private void closeConnection() {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException e) {
          log.debug("closing the settle connection failed", e);
        }
        connection = null;
      }
    }

    private void write(List<Op> batch) throws SQLException {
      List<Complete> completes = new ArrayList<>();
      List<Retry> retries = new ArrayList<>();
      List<Dead> deads = new ArrayList<>();
      List<Release> releases = new ArrayList<>();
      Map<String, Extend> extends_ = new HashMap<>();
      for (Op op : batch) {
        if (op instanceof Complete c) {
          completes.add(c);
        } else if (op instanceof Retry r) {
          retries.add(r);
        } else if (op instanceof Dead d) {
          deads.add(d);
        } else if (op instanceof Release r) {
          releases.add(r);
        } else if (op instanceof Extend e) {
          extends_.merge(e.id, e, (a, b) -> a.by.compareTo(b.by) >= 0 ? a : b);
        }
      }
      Connection c = connection();
      Instant now = clock.instant();
      // a delayed release is a message an open circuit handed back, maybe on its last attempt: were it lost
      // in a server crash, the reaper would count the attempt and could dead-letter it for the outage
      boolean durable = !completes.isEmpty() || !retries.isEmpty() || !deads.isEmpty()
          || releases.stream().anyMatch(r -> r.delayMillis() > 0);
      Set<String> completed = Set.of();
      Set<String> retried = Set.of();
      Set<String> released = Set.of();
      Map<Dead, Result> deadResults = new HashMap<>();
      // only completions: one statement that commits by itself saves the round trip of a COMMIT
      boolean single = !completes.isEmpty() && retries.isEmpty() && deads.isEmpty() && releases.isEmpty()
          && extends_.isEmpty();
      if (c.getAutoCommit() != single) {
        c.setAutoCommit(single);
      }
      try {
        if (!durable) {
          // only releases at once and lease extensions: losing them on a server crash is harmless
          try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL synchronous_commit = off");
          }
        }
        if (!completes.isEmpty()) {
          completed = completeAll(c, completes, now);
        }
        if (!retries.isEmpty()) {
          retried = retryAll(c, retries, now);
        }
        if (!deads.isEmpty()) {
          deadResults = deadAll(c, deads, now);
        }
        if (!releases.isEmpty()) {
          released = releaseAll(c, releases, now);
        }
        if (!extends_.isEmpty()) {
          extendAll(c, new ArrayList<>(extends_.values()), now);
        }
        if (!single) {
          c.commit();
        }
      } catch (SQLException | RuntimeException e) {
        Jdbc.rollbackQuietly(c, e);
        throw e;
      }
      for (Complete x : completes) {
        x.done.complete(completed.contains(x.id));
      }
      for (Retry x : retries) {
        x.done.complete(retried.contains(x.id));
      }
      for (Dead x : deads) {
        x.done.complete(deadResults.get(x));
      }
      for (Release x : releases) {
        x.done.complete(released.contains(x.id));
      }
    }

    private Set<String> completeAll(Connection c, List<Complete> ops, Instant now) throws SQLException {
      String[] ids = new String[ops.size()];
      Integer[] attempts = new Integer[ops.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = ops.get(i).id;
        attempts[i] = ops.get(i).attempts;
      }
      try (PreparedStatement ps = c.prepareStatement(keepCompleted ? sql.markCompleted : sql.deleteCompleted)) {
        int i = 0;
        if (keepCompleted) {
          ps.setObject(++i, Jdbc.ts(now));
          ps.setObject(++i, Jdbc.ts(now));
        }
        ps.setArray(++i, c.createArrayOf("text", ids));
        ps.setArray(++i, c.createArrayOf("int4", attempts));
        ps.setString(++i, owner);
        return ids(ps, ids.length);
      }
    }

    private Set<String> retryAll(Connection c, List<Retry> ops, Instant now) throws SQLException {
      int n = ops.size();
      String[] ids = new String[n];
      Integer[] attempts = new Integer[n];
      Long[] delays = new Long[n];
      String[] errors = new String[n];
      String[] classes = new String[n];
      String[] history = new String[n];
      for (int i = 0; i < n; i++) {
        Retry r = ops.get(i);
        ids[i] = r.id;
        attempts[i] = r.attempts;
        delays[i] = r.delayMillis;
        errors[i] = DeadLetterRows.text(errorText(r.failed));
        classes[i] = r.failed.errorClass().name();
        history[i] = Json.attempt(r.failed);
      }
      try (PreparedStatement ps = c.prepareStatement(sql.rescheduleFailed)) {
        ps.setObject(1, Jdbc.ts(now));
        ps.setObject(2, Jdbc.ts(now));
        ps.setArray(3, c.createArrayOf("text", ids));
        ps.setArray(4, c.createArrayOf("int4", attempts));
        ps.setArray(5, c.createArrayOf("int8", delays));
        ps.setArray(6, c.createArrayOf("text", errors));
        ps.setArray(7, c.createArrayOf("text", classes));
        ps.setArray(8, c.createArrayOf("text", history));
        ps.setString(9, owner);
        return ids(ps, n);
      }
    }

    /** One statement marks them all DEAD, one more records the dead letters of those still held. */
    private Map<Dead, Result> deadAll(Connection c, List<Dead> ops, Instant now) throws SQLException {
      List<Attempts.Death> deaths = new ArrayList<>(ops.size());
      for (Dead d : ops) {
        deaths.add(new Attempts.Death(d.id, d.attempts, owner, d.last));
      }
      Set<String> held = Attempts.markDead(c, sql, deaths, now);
      List<Dead> recording = new ArrayList<>(ops.size());
      List<DeadLetter> letters = new ArrayList<>(ops.size());
      for (Dead d : ops) {
        if (d.record && held.contains(d.id)) {
          recording.add(d);
          letters.add(d.dl);
        }
      }
      List<RecordResult> recorded = letters.isEmpty() ? List.of() : DeadLetterRows.upsertAll(c, sql, letters, now);
      Map<Dead, Result> out = new HashMap<>(ops.size() * 2);
      for (Dead d : ops) {
        out.put(d, new Result(held.contains(d.id), null));
      }
      for (int i = 0; i < recording.size(); i++) {
        out.put(recording.get(i), new Result(true, recorded.get(i)));
      }
      return out;
    }

    private Set<String> releaseAll(Connection c, List<Release> ops, Instant now) throws SQLException {
      String[] ids = new String[ops.size()];
      Integer[] attempts = new Integer[ops.size()];
      Long[] delays = new Long[ops.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = ops.get(i).id;
        attempts[i] = ops.get(i).attempts;
        delays[i] = ops.get(i).delayMillis;
      }
      try (PreparedStatement ps = c.prepareStatement(sql.releaseClaimed)) {
        ps.setObject(1, Jdbc.ts(now));
        ps.setObject(2, Jdbc.ts(now));
        ps.setArray(3, c.createArrayOf("text", ids));
        ps.setArray(4, c.createArrayOf("int4", attempts));
        ps.setArray(5, c.createArrayOf("int8", delays));
        ps.setString(6, owner);
        return ids(ps, ids.length);
      }
    }

    private void extendAll(Connection c, List<Extend> ops, Instant now) throws SQLException {
      Duration by = Duration.ZERO;
      String[] ids = new String[ops.size()];
      Integer[] attempts = new Integer[ops.size()];
      for (int i = 0; i < ids.length; i++) {
        Extend e = ops.get(i);
        ids[i] = e.id;
        attempts[i] = e.attempts;
        by = by.compareTo(e.by) >= 0 ? by : e.by;
      }
      try (PreparedStatement ps = c.prepareStatement(sql.extendLeases)) {
        ps.setObject(1, Jdbc.ts(now.plus(by)));
        ps.setArray(2, c.createArrayOf("text", ids));
        ps.setArray(3, c.createArrayOf("int4", attempts));
        ps.setString(4, owner);
        ps.executeUpdate();
      }
    }

    private static Set<String> ids(PreparedStatement ps, int expected) throws SQLException {
      Set<String> out = new HashSet<>(expected * 2);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  static String errorText(Attempt a) {
    return a.errorMessage().isEmpty() ? a.errorType() : a.errorType() + ": " + a.errorMessage();
  }

  /** Writes what is pending, then stops the threads. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
