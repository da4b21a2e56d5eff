package dev.dlq.bench.drain;

import java.time.Duration;

/**
 * graphile-worker {@value Graphile#VERSION} on the same PostgreSQL, in its own schema
 * ({@value Graphile#SCHEMA}), with the options of its performance page: concurrency 24, a pool
 * of 25, a local queue of 500 jobs and batched completions and failures
 * ({@code completeJobBatchDelay} and {@code failJobBatchDelay} 0). No-op jobs added with
 * {@code addJobs}; the clock runs from {@code run()} until the jobs table is empty (the task
 * counts before its completion is committed, so the end is read from the table). Runs in the 0%
 * round only: a failed job's next run is {@code exp(attempts)} seconds away, fixed in its SQL, so a
 * failing round would time that backoff (2.7 + 7.4 + 20 s for 3 retries), not the worker.
 */
public final class GraphileDrain implements Contender {
  private final Graphile graphile;
  private final Postgres pg;
  private final int concurrency;

  public GraphileDrain(Graphile graphile, Postgres pg, int concurrency) {
    this.graphile = graphile;
    this.pg = pg;
    this.concurrency = concurrency;
  }

  @Override
  public String name() {
    return "graphile-worker " + Graphile.VERSION + ", concurrency " + concurrency + ", batching";
  }

  @Override
  public void prepare(Work work) throws Exception {
    if (work.failingPercent() != 0) {
      throw new IllegalArgumentException("graphile-worker runs in the 0% round only");
    }
    String answer = graphile.call("prepare " + work.n(), Graphile.libpqUrl(pg.url()), concurrency, Duration.ofMinutes(10));
    if (!answer.equals("ready")) {
      throw new IllegalStateException("graphile-worker: expected 'ready' but got '" + answer + "'");
    }
  }

  @Override
  public Result drain(Work work) throws Exception {
    // "done <nanos> <completed> <executions> <left>"
    String answer = graphile.call("drain", Graphile.libpqUrl(pg.url()), concurrency, work.timeout());
    String[] f = answer.split(" ");
    if (f.length != 5 || !f[0].equals("done")) {
      throw new IllegalStateException("graphile-worker: expected 'done ..' but got '" + answer + "'");
    }
    work.drained(); // while its connections still exist, so that their PostgreSQL CPU counts
    graphile.call("stop", Graphile.libpqUrl(pg.url()), concurrency, Duration.ofSeconds(30));
    return new Result(Long.parseLong(f[2]), 0, Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[1]));
  }

  @Override
  public long externalCpuNanos() {
    return graphile.cpuNanos();
  }
}
