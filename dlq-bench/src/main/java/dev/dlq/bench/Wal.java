package dev.dlq.bench;

import dev.dlq.bench.drain.Contender.Result;
import dev.dlq.bench.drain.Contender.Work;
import dev.dlq.bench.drain.DlqPostgresDrain;
import dev.dlq.bench.drain.Postgres;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * WAL bytes per task of a dlq PostgreSQL drain: {@code pg_current_wal_lsn()} read just before the
 * worker starts and just after the last task left the queue, in a schema of its own
 * ({@value #SCHEMA}), after a checkpoint (so every run pays the same full-page images).
 *
 * <pre>
 * java -cp dlq-bench/target/benchmarks.jar dev.dlq.bench.Wal --n 20000 --failing 10 --runs 3
 * </pre>
 *
 * <p>The LSN is the server's: on a shared server, whatever else writes meanwhile is counted too, so
 * the command runs the drain {@code --runs} times and reports the smallest figure (others can only
 * add) next to the median. {@code --postgres-url embedded} measures on a private server instead.
 * Options: {@code --n 20000}, {@code --failing 10} (percent of always-failing tasks: zero backoff,
 * dead after {@code --attempts 4}), {@code --runs 3}, {@code --concurrency 0} (0: the worker's defaults),
 * {@code --postgres-url}.
 */
public final class Wal {
  static final String SCHEMA = "dlq_bench_wal";

  private Wal() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = Drain.parse(args);
    int n = number(o, "n", 20_000);
    int failing = number(o, "failing", 10);
    int runs = Math.max(1, number(o, "runs", 3));
    int concurrency = number(o, "concurrency", 0);
    int attempts = number(o, "attempts", Work.ATTEMPTS);
    if (n < 100 || failing > 100 || attempts < 1) {
      throw new IllegalArgumentException("--n must be >= 100, --failing a percentage, --attempts >= 1");
    }
    List<Double> perTask = new ArrayList<>();
    try (Postgres pg = Postgres.open(o.get("postgres-url"))) {
      System.out.printf(Locale.ROOT, "# dlq WAL per task %s  n=%d  failing=%d%% (%d attempts each)  runs=%d  %s  schema %s%n",
          Instant.now().truncatedTo(ChronoUnit.SECONDS), n, failing, attempts, runs, pg.describe(), SCHEMA);
      System.out.println("# machine: " + Machine.describe());
      for (int run = 1; run <= runs; run++) {
        Work work = new Work(n, failing, attempts, Duration.ofMinutes(10));
        try (DlqPostgresDrain d = new DlqPostgresDrain(pg, concurrency, concurrency, SCHEMA)) {
          d.prepare(work);
          long lsn0 = Postgres.queryLong(d.dataSource(), "select (pg_current_wal_lsn() - '0/0')::bigint");
          Result r = d.drain(work);
          long lsn1 = Postgres.queryLong(d.dataSource(), "select (pg_current_wal_lsn() - '0/0')::bigint");
          if (r.left() != 0 || r.completed() + r.dead() != n) {
            throw new IllegalStateException("the drain did not finish: " + r);
          }
          double bytes = (lsn1 - lsn0) / (double) n;
          perTask.add(bytes);
          System.out.printf(Locale.ROOT, "run %d: %s: %,d WAL bytes, %,.0f per task, %d dead, %d executions, %.1f s%n",
              run, d.name(), lsn1 - lsn0, bytes, r.dead(), r.executions(), r.nanos() / 1e9);
        }
      }
      try (var ds = pg.pool("dlq-wal-drop", 1)) {
        Postgres.exec(ds, "drop schema if exists " + SCHEMA + " cascade");
      }
    }
    Collections.sort(perTask);
    System.out.printf(Locale.ROOT, "wal: %,.0f bytes per task (smallest of %d runs; median %,.0f)%n", perTask.get(0),
        runs, perTask.get(perTask.size() / 2));
  }

  private static int number(Map<String, String> o, String key, int def) {
    String v = o.get(key);
    try {
      int x = v == null ? def : Integer.parseInt(v.replace("_", ""));
      if (x < 0) {
        throw new NumberFormatException();
      }
      return x;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + key + " must be a number >= 0 but was '" + v + "'");
    }
  }
}
