package dev.dlq.bench.drain;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling: hand-written SQL with no framework. Each of {@code threads} loops claims up to
 * {@code batch} ready rows in one statement ({@code UPDATE .. WHERE id IN (SELECT .. ORDER BY run_at
 * LIMIT n FOR UPDATE SKIP LOCKED) RETURNING ..}), runs the no-op, and settles the batch with one
 * statement per kind: delete the completed, reschedule the failed, and, for failed rows out of
 * attempts, insert them into a dead table and delete them in one transaction.
 */
public final class RawSqlDrain implements Contender {
  private static final String CLAIM = "update bench_raw_tasks set locked_until = now() + interval '30 seconds', "
      + "attempts = attempts + 1 where id in (select id from bench_raw_tasks where run_at <= now() "
      + "and locked_until is null order by run_at limit ? for update skip locked) returning id, payload, attempts";
  private static final String DELETE = "delete from bench_raw_tasks where id = any(?)";
  private static final String RETRY = "update bench_raw_tasks set locked_until = null, run_at = now() where id = any(?)";
  private static final String DEAD = "insert into bench_raw_dead (id, payload, attempts, dead_at) "
      + "select id, payload, attempts, now() from bench_raw_tasks where id = any(?)";

  private final Postgres pg;
  private final int threads;
  private final int batch;
  private HikariDataSource ds;

  public RawSqlDrain(Postgres pg, int threads, int batch) {
    this.pg = pg;
    this.threads = threads;
    this.batch = batch;
  }

  @Override
  public String name() {
    return "raw SQL claim " + batch + " + delete, " + threads + " threads (ceiling)";
  }

  @Override
  public void prepare(Work work) throws Exception {
    ds = pg.pool("raw", threads + 1);
    Postgres.exec(ds,
        "drop table if exists bench_raw_tasks",
        "drop table if exists bench_raw_dead",
        "create table bench_raw_tasks (id bigint primary key, payload bytea not null, attempts int not null default 0, "
            + "run_at timestamptz not null, locked_until timestamptz)",
        "create index bench_raw_tasks_ready on bench_raw_tasks (run_at) where locked_until is null",
        "create table bench_raw_dead (id bigint primary key, payload bytea not null, attempts int not null, "
            + "dead_at timestamptz not null)",
        "insert into bench_raw_tasks (id, payload, run_at) select g, convert_to('{\"n\":' || g || '}', 'UTF8'), "
            + "now() - interval '1 second' from generate_series(0, " + (work.n() - 1) + ") g");
    Postgres.settle(ds, "bench_raw_tasks");
  }

  @Override
  public Result drain(Work work) throws Exception {
    AtomicLong completed = new AtomicLong();
    AtomicLong dead = new AtomicLong();
    AtomicLong executions = new AtomicLong();
    long target = work.n();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long t0 = System.nanoTime();
    long took;
    try {
      List<Future<?>> loops = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        loops.add(pool.submit(() -> {
          loop(work, completed, dead, executions, target);
          return null;
        }));
      }
      long deadline = System.nanoTime() + work.timeout().toNanos();
      for (Future<?> f : loops) {
        try {
          f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          throw new IllegalStateException("gave up after " + work.timeout() + " waiting for " + name(), e);
        }
      }
      took = System.nanoTime() - t0;
      work.drained();
    } finally {
      pool.shutdownNow();
    }
    long left = Postgres.queryLong(ds, "select count(*) from bench_raw_tasks");
    return new Result(completed.get(), dead.get(), executions.get(), left, took);
  }

  private void loop(Work work, AtomicLong completed, AtomicLong dead, AtomicLong executions, long target)
      throws SQLException, InterruptedException {
    try (Connection c = ds.getConnection();
        PreparedStatement claim = c.prepareStatement(CLAIM);
        PreparedStatement delete = c.prepareStatement(DELETE);
        PreparedStatement retry = c.prepareStatement(RETRY);
        PreparedStatement deadInsert = c.prepareStatement(DEAD)) {
      List<Long> ok = new ArrayList<>(batch);
      List<Long> again = new ArrayList<>();
      List<Long> gone = new ArrayList<>();
      while (completed.get() + dead.get() < target) {
        ok.clear();
        again.clear();
        gone.clear();
        claim.setInt(1, batch);
        try (ResultSet rs = claim.executeQuery()) {
          while (rs.next()) {
            long id = rs.getLong(1);
            rs.getBytes(2); // the "processing": read the payload
            int attempts = rs.getInt(3);
            if (!Contender.failing((int) id, work.failingPercent())) {
              ok.add(id);
            } else if (attempts < work.maxAttempts()) {
              again.add(id);
            } else {
              gone.add(id);
            }
          }
        }
        int got = ok.size() + again.size() + gone.size();
        if (got == 0) {
          Thread.sleep(1); // the rest is claimed by the other loops, or being rescheduled
          continue;
        }
        executions.addAndGet(got);
        if (!ok.isEmpty()) {
          delete.setArray(1, ids(c, ok));
          delete.executeUpdate();
          completed.addAndGet(ok.size());
        }
        if (!again.isEmpty()) {
          retry.setArray(1, ids(c, again));
          retry.executeUpdate();
        }
        if (!gone.isEmpty()) {
          Array a = ids(c, gone);
          c.setAutoCommit(false);
          try {
            deadInsert.setArray(1, a);
            deadInsert.executeUpdate();
            delete.setArray(1, a);
            delete.executeUpdate();
            c.commit();
          } catch (SQLException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
          dead.addAndGet(gone.size());
        }
      }
    }
  }

  private static Array ids(Connection c, List<Long> ids) throws SQLException {
    return c.createArrayOf("bigint", ids.toArray());
  }

  @Override
  public void close() {
    if (ds != null) {
      ds.close();
    }
  }
}
