package dev.dlq.bench.pickup;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import dev.dlq.bench.drain.DbSchedulerDrain;
import dev.dlq.bench.drain.Postgres;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntConsumer;

/**
 * db-scheduler 16.12 with its default polling strategy and threads and the given polling interval
 * (its own default is 10 s). Samples are scheduled due now by a separate {@link SchedulerClient},
 * as another service would; with {@code immediate}, the scheduler is built with
 * {@code enableImmediateExecution()} and samples are scheduled through the scheduler itself, which
 * then checks for due work at once (it only hears what is scheduled in the same JVM).
 */
public final class DbSchedulerTarget implements Target {
  private static final String TABLE = "pickup_scheduled_tasks";

  private final Postgres pg;
  private final Duration pollingInterval;
  private final boolean immediate;
  private HikariDataSource ds;
  private OneTimeTask<Void> task;
  private Scheduler scheduler;
  private SchedulerClient client;

  public DbSchedulerTarget(Postgres pg, Duration pollingInterval, boolean immediate) {
    this.pg = pg;
    this.pollingInterval = pollingInterval;
    this.immediate = immediate;
  }

  @Override
  public String name() {
    return "db-scheduler 16.12, polling interval " + pollingInterval.toMillis() + " ms"
        + (immediate ? ", immediate execution (same JVM)" : "");
  }

  @Override
  public void start(IntConsumer started) throws Exception {
    ds = pg.pool("pickup-db-scheduler", 14);
    DbSchedulerDrain.createTable(ds, TABLE);
    task = Tasks.oneTime("pickup").execute((instance, ctx) -> started.accept(Integer.parseInt(instance.getId())));
    var b = Scheduler.create(ds, task).tableName(TABLE).pollingInterval(pollingInterval)
        .schedulerName(new SchedulerName.Fixed("pickup")).shutdownMaxWait(Duration.ofSeconds(5));
    if (immediate) {
      b.enableImmediateExecution();
    }
    scheduler = b.build();
    scheduler.start();
    client = immediate ? scheduler : SchedulerClient.Builder.create(ds, task).tableName(TABLE).build();
  }

  @Override
  public void enqueue(int i) {
    client.schedule(task.instance(Integer.toString(i)), Instant.now());
  }

  @Override
  public void close() throws Exception {
    try {
      if (scheduler != null) {
        scheduler.stop();
      }
    } finally {
      if (ds != null) {
        Postgres.exec(ds, "drop table if exists " + TABLE);
        ds.close();
      }
    }
  }
}
