package dev.dlq.bench.drain;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * db-scheduler 16.12 under one of its documented polling strategies ({@link Polling}) and thread
 * counts, one-time tasks with no data. The drain runs a small sweep of these and takes the best as
 * the baseline. Failing tasks
 * use {@code MaxRetriesFailureHandler(3, OnFailureRetryLater(0))}: 3 retries with zero backoff, then
 * the execution is removed (db-scheduler has no dead-letter table, so its "dead" writes nothing,
 * where dlq and the raw ceiling insert a dead-letter row: an advantage to db-scheduler).
 *
 * <p>Polling interval 100 ms by default (db-scheduler's own default is 10 s): while work is due it
 * fetches again as soon as half its threads are free, so the interval only matters when a fetch
 * comes back short; 100 ms keeps such waits short, in db-scheduler's favour.
 */
public final class DbSchedulerDrain implements Contender {
  private static final String TABLE = "bench_scheduled_tasks";

  /**
   * A polling strategy of db-scheduler's SchedulerBuilder with its two limits, as its README documents
   * them: {@code lock-and-fetch} (select for update skip locked; lower limit and upper limit as
   * fractions of the thread count, defaults 0.5 and 1.0) and {@code fetch} (fetch-and-lock-on-execute,
   * db-scheduler's default; lower limit and executions per batch as fractions of the thread count,
   * defaults 0.5 and 3.0).
   */
  public record Polling(String strategy, double lower, double upper) {
    public Polling {
      if (!strategy.equals("lock-and-fetch") && !strategy.equals("fetch")) {
        throw new IllegalArgumentException("db-scheduler polling strategy: lock-and-fetch or fetch, not " + strategy);
      }
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%s (%.1f, %.1f)", strategy, lower, upper);
    }
  }

  private final Postgres pg;
  private final int threads;
  private final Polling polling;
  private final Duration pollingInterval;
  private HikariDataSource ds;
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong dead = new AtomicLong();
  private final AtomicLong executions = new AtomicLong();
  private volatile int failingPercent;
  private OneTimeTask<Void> task;

  public DbSchedulerDrain(Postgres pg, int threads, Polling polling, Duration pollingInterval) {
    this.pg = pg;
    this.threads = threads;
    this.polling = polling;
    this.pollingInterval = pollingInterval;
  }

  @Override
  public String name() {
    return "db-scheduler 16.12 " + polling + ", " + threads + " threads";
  }

  @Override
  public void prepare(Work work) throws Exception {
    failingPercent = work.failingPercent();
    ds = pg.pool("db-scheduler", threads + 4);
    createTable(ds, TABLE);
    int maxRetries = work.maxAttempts() - 1;
    task = Tasks.oneTime("bench")
        .onFailure(new FailureHandler.MaxRetriesFailureHandler<>(maxRetries,
            new FailureHandler.OnFailureRetryLater<>(Duration.ZERO),
            (complete, ops) -> dead.incrementAndGet())) // after db-scheduler's own ops.stop(): the row is removed
        .execute((instance, ctx) -> {
          executions.incrementAndGet();
          int i = Integer.parseInt(instance.getId());
          if (Contender.failing(i, failingPercent)) {
            throw new IllegalStateException("always fails");
          }
          completed.incrementAndGet();
        });
    SchedulerClient client = SchedulerClient.Builder.create(ds, task).tableName(TABLE).build();
    Instant due = Instant.now().minusSeconds(1);
    for (int from = 0; from < work.n(); from += 1000) {
      List<TaskInstance<?>> chunk = new ArrayList<>(1000);
      for (int i = from; i < Math.min(work.n(), from + 1000); i++) {
        chunk.add(task.instance(Integer.toString(i)));
      }
      client.scheduleBatch(chunk, due);
    }
    Postgres.settle(ds, TABLE);
  }

  /** Drops and creates {@code table} as db-scheduler's README gives it for PostgreSQL, with its indexes. */
  public static void createTable(javax.sql.DataSource ds, String table) throws java.sql.SQLException {
    Postgres.exec(ds,
        "drop table if exists " + table,
        "create table " + table + " (task_name text not null, task_instance text not null, task_data bytea, "
            + "execution_time timestamp with time zone not null, picked boolean not null, picked_by text, "
            + "last_success timestamp with time zone, last_failure timestamp with time zone, "
            + "consecutive_failures int, last_heartbeat timestamp with time zone, version bigint not null, "
            + "priority smallint, primary key (task_name, task_instance))",
        "create index " + table + "_execution_time_idx on " + table + " (execution_time)",
        "create index " + table + "_last_heartbeat_idx on " + table + " (last_heartbeat)",
        "create index " + table + "_priority_execution_time_idx on " + table + " (priority desc, execution_time asc)");
  }

  @Override
  public Result drain(Work work) throws Exception {
    SchedulerBuilder builder = Scheduler.create(ds, task)
        .tableName(TABLE)
        .threads(threads);
    if (polling.strategy().equals("lock-and-fetch")) {
      builder.pollUsingLockAndFetch(polling.lower(), polling.upper());
    } else {
      builder.pollUsingFetchAndLockOnExecute(polling.lower(), polling.upper());
    }
    Scheduler scheduler = builder
        .pollingInterval(pollingInterval)
        .schedulerName(new SchedulerName.Fixed("bench"))
        .failureLogging(LogLevel.OFF, false)
        .shutdownMaxWait(Duration.ofSeconds(5))
        .build();
    long t0 = System.nanoTime();
    long took;
    scheduler.start();
    try {
      long target = work.n();
      // the handler counts before db-scheduler deletes the row: wait for the counts, then for the table
      Contender.await(() -> completed.get() + dead.get() >= target, work.timeout(), 2, name() + " to run every task");
      Contender.await(() -> Postgres.queryLong(ds, "select count(*) from " + TABLE) == 0, work.timeout(), 2,
          name() + " to empty its table");
      took = System.nanoTime() - t0;
      work.drained();
    } finally {
      scheduler.stop();
    }
    return new Result(completed.get(), dead.get(), executions.get(), Postgres.queryLong(ds, "select count(*) from " + TABLE),
        took);
  }

  @Override
  public void close() {
    if (ds != null) {
      ds.close();
    }
  }
}
