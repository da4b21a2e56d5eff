package dev.dlq.bench.drain;

import com.zaxxer.hikari.HikariDataSource;
import dev.dlq.DeadLetter;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RecordResult;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.spi.DlqObserver;
import dev.dlq.postgres.NewTask;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.PostgresSchema;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * dlq on PostgreSQL: a {@link Worker} on {@link PostgresQueue#source()} with a no-op processor;
 * failing tasks throw and run under {@code RetryPolicy.fixed(0, 4)} (3 retries, zero backoff), then
 * are dead-lettered into the schema's own dead-letter table, in the same transaction as the task's
 * DEAD state. The schema is dropped and migrated again every round.
 */
public final class DlqPostgresDrain implements Contender {
  /** The schema of the drain; {@link dev.dlq.bench.Wal} uses its own. */
  public static final String SCHEMA = "dlq_bench";
  private static final String QUEUE = "bench";
  private static final RuntimeException BOOM = new IllegalStateException("always fails");

  private final Postgres pg;
  private final int concurrency;
  private final int prefetch;
  private final String schema;
  private HikariDataSource ds;
  private PostgresQueue queue;

  /** @param concurrency 0: the worker's default concurrency and prefetch (then {@code prefetch} is ignored) */
  public DlqPostgresDrain(Postgres pg, int concurrency, int prefetch) {
    this(pg, concurrency, prefetch, SCHEMA);
  }

  /** The same in schema {@code schema}, dropped and migrated again by every {@link #prepare}. */
  public DlqPostgresDrain(Postgres pg, int concurrency, int prefetch, String schema) {
    this.pg = pg;
    this.concurrency = concurrency;
    this.prefetch = prefetch;
    this.schema = schema;
  }

  @Override
  public String name() {
    return concurrency == 0 ? "dlq PostgresQueue worker, builder defaults"
        : "dlq PostgresQueue worker, concurrency " + concurrency + ", prefetch " + prefetch;
  }

  /** The bench pool (after {@link #prepare}). */
  public HikariDataSource dataSource() {
    return ds;
  }

  @Override
  public void prepare(Work work) throws Exception {
    ds = pg.pool("dlq", 8);
    Postgres.exec(ds, "drop schema if exists " + schema + " cascade");
    PostgresSchema.migrate(ds, schema);
    queue = PostgresQueue.builder(ds, QUEUE).schema(schema).build();
    List<NewTask> chunk = new ArrayList<>(1000);
    for (int i = 0; i < work.n(); i++) {
      chunk.add(NewTask.of("task", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)).withId(Integer.toString(i)));
      if (chunk.size() == 1000) {
        queue.enqueueBatch(chunk);
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      queue.enqueueBatch(chunk);
    }
    Postgres.settle(ds, schema + ".tasks");
  }

  @Override
  public Result drain(Work work) throws Exception {
    AtomicLong completed = new AtomicLong();
    AtomicLong dead = new AtomicLong();
    AtomicLong executions = new AtomicLong();
    int pct = work.failingPercent();
    DlqObserver counts = new DlqObserver() {
      @Override
      public void succeeded(Message message, Duration took) {
        completed.incrementAndGet();
      }

      @Override
      public void deadLettered(DeadLetter deadLetter, RecordResult result, Duration took) {
        dead.incrementAndGet();
      }
    };
    long took;
    try (Source source = queue.source()) {
      Worker.Builder builder = Worker.builder(source, m -> {
        executions.incrementAndGet();
        if (Contender.failing(Integer.parseInt(m.id()), pct)) {
          throw BOOM;
        }
        return Outcome.success();
      })
          .sink(queue.deadLetterStore())
          .retryPolicy(RetryPolicy.fixed(Duration.ZERO, work.maxAttempts()))
          .observer(counts);
      if (concurrency > 0) {
        builder.concurrency(concurrency).prefetch(prefetch);
      }
      Worker worker = builder.build();
      long t0 = System.nanoTime();
      worker.start();
      try {
        // the listener hears an outcome once it is durable: when all are in, the queue is empty
        Contender.await(() -> completed.get() + dead.get() >= work.n(), work.timeout(), 1, name());
        took = System.nanoTime() - t0;
        work.drained();
      } finally {
        worker.close();
      }
    }
    long left = Postgres.queryLong(ds, "select count(*) from " + schema + ".tasks where status in ('READY', 'RUNNING')");
    long stored = Postgres.queryLong(ds, "select count(*) from " + schema + ".dead_letters");
    if (stored != dead.get()) {
      throw new IllegalStateException(name() + ": " + dead.get() + " dead-lettered but " + stored + " dead letters stored");
    }
    return new Result(completed.get(), dead.get(), executions.get(), left, took);
  }

  @Override
  public void close() {
    if (ds != null) {
      ds.close();
    }
  }
}
