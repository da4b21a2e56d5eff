package dev.dlq.bench.pickup;

import com.zaxxer.hikari.HikariDataSource;
import dev.dlq.Outcome;
import dev.dlq.Worker;
import dev.dlq.bench.drain.Postgres;
import dev.dlq.postgres.NewTask;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.PostgresSchema;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.function.IntConsumer;

/**
 * dlq on PostgreSQL: a {@link PostgresQueue} and a {@link Worker} on their builders' defaults
 * (LISTEN/NOTIFY wake-ups on, poll wait 1 s, so an idle worker claims at most once a second
 * unless woken), or with {@code listen(false)} to show what polling alone gives. Each sample is
 * enqueued in its own transaction, committed by the bench.
 */
public final class DlqTarget implements Target {
  private static final String SCHEMA = "dlq_pickup";

  private final Postgres pg;
  private final boolean listen;
  private HikariDataSource ds;
  private PostgresQueue queue;
  private Source source;
  private Worker worker;

  /** @param listen false: the queue is built with {@code listen(false)}, everything else on defaults */
  public DlqTarget(Postgres pg, boolean listen) {
    this.pg = pg;
    this.listen = listen;
  }

  @Override
  public String name() {
    return listen ? "dlq PostgresQueue worker, builder defaults (LISTEN/NOTIFY, poll wait 1 s)"
        : "dlq PostgresQueue worker, listen(false), poll wait 1 s";
  }

  @Override
  public void start(IntConsumer started) throws Exception {
    ds = pg.pool("pickup-dlq", 8);
    Postgres.exec(ds, "drop schema if exists " + SCHEMA + " cascade");
    PostgresSchema.migrate(ds, SCHEMA);
    PostgresQueue.Builder b = PostgresQueue.builder(ds, "pickup").schema(SCHEMA);
    if (!listen) {
      b.listen(false);
    }
    queue = b.build();
    source = queue.source();
    worker = Worker.builder(source, m -> {
      started.accept(Integer.parseInt(m.id()));
      return Outcome.success();
    }).build();
    worker.start();
  }

  @Override
  public void enqueue(int i) throws Exception {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      queue.enqueue(c, NewTask.of("pickup", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))
          .withId(Integer.toString(i)));
      c.commit();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (worker != null) {
        worker.close();
      } else if (source != null) {
        source.close();
      }
    } finally {
      if (ds != null) {
        Postgres.exec(ds, "drop schema if exists " + SCHEMA + " cascade");
        ds.close();
      }
    }
  }
}
