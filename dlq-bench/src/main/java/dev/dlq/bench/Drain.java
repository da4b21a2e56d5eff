package dev.dlq.bench;

import dev.dlq.bench.drain.Contender;
import dev.dlq.bench.drain.Contender.Result;
import dev.dlq.bench.drain.Contender.Work;
import dev.dlq.bench.drain.DbSchedulerDrain;
import dev.dlq.bench.drain.DlqNatsDrain;
import dev.dlq.bench.drain.DlqPostgresDrain;
import dev.dlq.bench.drain.DlqSqsDrain;
import dev.dlq.bench.drain.Graphile;
import dev.dlq.bench.drain.GraphileDrain;
import dev.dlq.bench.drain.Nats;
import dev.dlq.bench.drain.Postgres;
import dev.dlq.bench.drain.RawNatsDrain;
import dev.dlq.bench.drain.RawSqlDrain;
import dev.dlq.bench.drain.RawSqsDrain;
import dev.dlq.bench.drain.Sqs;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The end-to-end drain: N no-op tasks through each system, side by side in one run, one line per
 * system with its rate and its ratio to the baseline the issue names (for PostgreSQL the best of a
 * sweep of db-scheduler configurations run in the same round, for SQS and NATS the raw client loop),
 * then the targets, met or not.
 *
 * <pre>
 * ./mvnw -q -B -pl dlq-bench -am package -DskipTests
 * java -cp dlq-bench/target/benchmarks.jar dev.dlq.bench.Drain                 # everything, N = 50000
 * java -cp dlq-bench/target/benchmarks.jar dev.dlq.bench.Drain --systems db-scheduler,dlq-postgres --n 100000
 * java -cp dlq-bench/target/benchmarks.jar dev.dlq.bench.Drain --smoke         # seconds, for CI
 * </pre>
 *
 * <p>Options: {@code --n N} tasks per round (default 50000); {@code --failing 0,10} percentages of
 * always-failing tasks (3 retries, zero backoff, then dead; PostgreSQL systems only, SQS and NATS
 * run in the 0% round); {@code --systems a,b} (default all, in this order: {@value #ALL});
 * {@code --warmup N} an untimed round per system first (default N, 0 in smoke mode);
 * {@code --postgres-url jdbc:..} (else DLQ_BENCH_POSTGRES_URL, else 127.0.0.1:5432 user postgres,
 * else embedded); {@code --sqs-endpoint} (else DLQ_BENCH_SQS_ENDPOINT, else ElasticMQ in
 * process); {@code --nats-url} (else DLQ_BENCH_NATS_URL, else nats://127.0.0.1:4222; without a
 * JetStream server the NATS systems are skipped with a note, except under CI=true, where that fails);
 * {@code --nats-n} messages for the NATS systems (default 6 × N: they drain 100,000+ a second);
 * {@code --db-scheduler-sweep a,b} the db-scheduler configurations that system {@code db-scheduler}
 * stands for (default {@value #SWEEP}: lf = lock-and-fetch (0.5, 1.0), lf14 = lock-and-fetch (1.0, 4.0),
 * fetch = fetch-and-lock-on-execute (0.5, 3.0), each at 16 and 64 threads; in smoke mode
 * {@value #SMOKE_SWEEP}); the best of each round is the baseline of the PostgreSQL systems;
 * {@code --db-scheduler-poll-ms 100} its polling interval; {@code --raw-threads 2} and {@code --raw-batch 100}
 * for the raw-SQL ceiling; {@code --dlq-concurrency 16} and {@code --dlq-prefetch 84} for the dlq
 * PostgreSQL worker (polls claim up to 100 at once); {@code --sqs-threads 1} raw SQS loops and
 * {@code --sqs-concurrency 10} and {@code --sqs-receivers 2} (receives in flight; its default) for the dlq SQS worker; {@code --nats-batch 100} messages per pull (raw
 * loop) and per poll (dlq worker) and {@code --nats-concurrency 8} for the dlq NATS worker;
 * {@code --graphile-concurrency 24} and {@code --graphile-dir DIR} (default {@code graphile-worker/} next to
 * the jar, where {@code npm} installs graphile-worker {@value Graphile#VERSION} the first time; without
 * {@code node} on the PATH the system is skipped with a note); {@code --timeout 600} seconds per drain before it is declared stuck; {@code --smoke} N = 1000,
 * no warm-up, rates not judged; {@code --thread-cpu} prints, per drain, the CPU per task of each
 * group of Java threads (on stderr). The exit code is 1 when any system lost, duplicated or left work.
 */
public final class Drain {
  /** db-scheduler's sweep: every system whose key starts with this; the best of a round is the baseline. */
  static final String DB_SCHEDULER = "db-scheduler";
  static final String SWEEP = "db-scheduler-lf-16,db-scheduler-lf-64,db-scheduler-lf14-16,db-scheduler-lf14-64,"
      + "db-scheduler-fetch-16,db-scheduler-fetch-64";
  /** The sweep in smoke mode: one configuration per strategy, to keep CI short. */
  static final String SMOKE_SWEEP = "db-scheduler-lf-16,db-scheduler-fetch-16";
  static final String ALL = DB_SCHEDULER + ",raw-sql,graphile-worker,dlq-postgres-defaults,dlq-postgres,dlq-postgres-64,raw-sqs,dlq-sqs,"
      + "raw-nats,dlq-nats";

  private final Map<String, String> opts;
  private final PrintStream out = System.out;
  private Postgres pg;
  private Sqs sqs;
  private Nats nats;
  private Graphile graphile;

  private Drain(Map<String, String> opts) {
    this.opts = opts;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts;
    try {
      opts = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("Drain: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (opts.containsKey("help")) {
      System.out.println("usage: Drain [--n 50000] [--nats-n 300000] [--failing 0,10] [--systems " + ALL + "] [--warmup N] "
          + "[--postgres-url URL] [--sqs-endpoint URL] [--nats-url URL] [--db-scheduler-sweep " + SWEEP + "] [--db-scheduler-poll-ms 100] [--raw-threads 2] "
          + "[--raw-batch 100] [--dlq-concurrency 16] [--dlq-prefetch 84] [--sqs-threads 1] [--sqs-concurrency 10] [--sqs-receivers 2] [--nats-batch 100] [--nats-concurrency 8] "
          + "[--graphile-concurrency 24] [--graphile-dir DIR] [--timeout 600] [--smoke]");
      return;
    }
    Drain d = new Drain(opts);
    int failures;
    try {
      failures = d.run();
    } finally {
      d.closeServers();
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  /** One system of the drain: how to make it, which baseline it is judged against, at what ratio. */
  private record System_(String key, String kind, String baseline, double target, boolean failingRounds,
      Function<Drain, Contender> factory) {}

  private static final List<System_> SYSTEMS = List.of(
      // db-scheduler's documented polling strategies with their documented limits, at 16 and 64 threads
      dbScheduler("db-scheduler-lf-16", new DbSchedulerDrain.Polling("lock-and-fetch", 0.5, 1.0), 16),
      dbScheduler("db-scheduler-lf-64", new DbSchedulerDrain.Polling("lock-and-fetch", 0.5, 1.0), 64),
      dbScheduler("db-scheduler-lf14-16", new DbSchedulerDrain.Polling("lock-and-fetch", 1.0, 4.0), 16),
      dbScheduler("db-scheduler-lf14-64", new DbSchedulerDrain.Polling("lock-and-fetch", 1.0, 4.0), 64),
      dbScheduler("db-scheduler-fetch-16", new DbSchedulerDrain.Polling("fetch", 0.5, 3.0), 16),
      dbScheduler("db-scheduler-fetch-64", new DbSchedulerDrain.Polling("fetch", 0.5, 3.0), 64),
      new System_("raw-sql", "postgres", DB_SCHEDULER, 0, true,
          d -> new RawSqlDrain(d.pg(), d.intOpt("raw-threads", 2), d.intOpt("raw-batch", 100))),
      // Node, where node is on the PATH; 0% round only (its retry backoff is fixed at exp(attempts) seconds)
      new System_("graphile-worker", "graphile", DB_SCHEDULER, 0, false,
          d -> new GraphileDrain(d.graphile(), d.pg(), d.intOpt("graphile-concurrency", 24))),
      // a worker built with nothing but the source and the processor
      new System_("dlq-postgres-defaults", "postgres", DB_SCHEDULER, 2.5, true,
          d -> new DlqPostgresDrain(d.pg(), 0, 0)),
      new System_("dlq-postgres", "postgres", DB_SCHEDULER, 4.0, true,
          d -> new DlqPostgresDrain(d.pg(), d.intOpt("dlq-concurrency", 16), d.intOpt("dlq-prefetch", 84))),
      new System_("dlq-postgres-64", "postgres", DB_SCHEDULER, 4.0, true,
          d -> new DlqPostgresDrain(d.pg(), 64, 64)),
      new System_("raw-sqs", "sqs", null, 0, false, d -> new RawSqsDrain(d.sqs(), d.intOpt("sqs-threads", 1))),
      new System_("dlq-sqs", "sqs", "raw-sqs", 0.8, false,
          d -> new DlqSqsDrain(d.sqs(), d.intOpt("sqs-concurrency", 10), Math.max(1, d.intOpt("sqs-receivers", 2)))),
      new System_("raw-nats", "nats", null, 0, false, d -> new RawNatsDrain(d.nats(), d.intOpt("nats-batch", 100))),
      new System_("dlq-nats", "nats", "raw-nats", 0.8, false,
          d -> new DlqNatsDrain(d.nats(), d.intOpt("nats-batch", 100), d.intOpt("nats-concurrency", 8))));

  private static System_ dbScheduler(String key, DbSchedulerDrain.Polling polling, int threads) {
    return new System_(key, "postgres", null, 0, true, d -> new DbSchedulerDrain(d.pg(), threads, polling,
        Duration.ofMillis(d.intOpt("db-scheduler-poll-ms", 100))));
  }

  private static System_ system(String key) {
    for (System_ s : SYSTEMS) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    List<String> known = new ArrayList<>();
    SYSTEMS.forEach(s -> known.add(s.key));
    throw new IllegalArgumentException("--systems: unknown system '" + key + "'; known: " + String.join(",", known));
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("expected an option such as --n but was '" + a + "'");
      }
      String key = a.substring(2);
      if (key.equals("smoke") || key.equals("help") || key.equals("thread-cpu")) {
        m.put(key, "true");
      } else if (key.contains("=")) {
        m.put(key.substring(0, key.indexOf('=')), key.substring(key.indexOf('=') + 1));
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option --" + key + " needs a value");
        }
        m.put(key, args[++i]);
      }
    }
    return m;
  }

  int intOpt(String key, int def) {
    String v = opts.get(key);
    if (v == null) {
      return def;
    }
    try {
      int n = Integer.parseInt(v.replace("_", ""));
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + key + " must be a number >= 0 but was '" + v + "'");
    }
  }

  Postgres pg() {
    if (pg == null) {
      try {
        pg = Postgres.open(opts.get("postgres-url"));
      } catch (Exception e) {
        throw new IllegalStateException("no PostgreSQL: " + e.getMessage(), e);
      }
      out.println("# " + pg.describe());
    }
    return pg;
  }

  Sqs sqs() {
    if (sqs == null) {
      try {
        sqs = Sqs.open(opts.get("sqs-endpoint"));
      } catch (Exception e) {
        throw new IllegalStateException("no SQS server: " + e.getMessage(), e);
      }
      out.println("# " + sqs.describe());
    }
    return sqs;
  }

  Nats nats() {
    if (nats == null) {
      nats = Nats.at(opts.get("nats-url"));
      out.println("# " + nats.describe());
    }
    return nats;
  }

  Graphile graphile() {
    if (graphile == null) {
      graphile = Graphile.in(opts.get("graphile-dir"));
    }
    return graphile;
  }

  private void closeServers() {
    for (AutoCloseable c : new AutoCloseable[] {graphile, pg, sqs}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          System.err.println("closing " + c + " failed: " + e);
        }
      }
    }
  }

  private int run() throws Exception {
    boolean smoke = opts.containsKey("smoke");
    int n = intOpt("n", smoke ? 1000 : 50_000);
    if (n < 100) {
      throw new IllegalArgumentException("--n must be >= 100 but was " + n);
    }
    // as many tasks as measured: a shorter warm-up leaves the JIT compiling during dlq's measured drain
    int warmup = intOpt("warmup", smoke ? 0 : n);
    int natsN = intOpt("nats-n", smoke ? n : 6 * n);
    Duration timeout = Duration.ofSeconds(intOpt("timeout", smoke ? 120 : 600));
    List<Integer> failing = new ArrayList<>();
    for (String f : opts.getOrDefault("failing", "0,10").split(",")) {
      int pct;
      try {
        pct = Integer.parseInt(f.trim());
      } catch (NumberFormatException e) {
        pct = -1;
      }
      if (pct < 0 || pct > 100) {
        throw new IllegalArgumentException("--failing must be percentages from 0 to 100 but had '" + f + "'");
      }
      failing.add(pct);
    }
    List<System_> systems = new ArrayList<>();
    for (String key : opts.getOrDefault("systems", ALL).split(",")) {
      if (key.trim().equals(DB_SCHEDULER)) {
        for (String k : opts.getOrDefault("db-scheduler-sweep", smoke ? SMOKE_SWEEP : SWEEP).split(",")) {
          systems.add(system(k.trim()));
        }
      } else {
        systems.add(system(key.trim()));
      }
    }
    out.printf(Locale.ROOT, "# dlq drain %s  n=%d  warmup=%d%s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS), n,
        warmup, smoke ? "  SMOKE: tiny N, the rates mean nothing" : "");
    out.println("# machine: " + Machine.describe());
    out.println("# others: cores used on average during the drain by everything but this JVM, the bench database's"
        + " PostgreSQL processes and nats-server; LOADED when above 0.25. load: the 1-minute load average before it"
        + " (which counts this bench's own warm-up)");
    out.println("# jvm, pg: CPU microseconds per task used by this JVM (graphile-worker: plus its Node process) and by the local PostgreSQL processes of the"
        + " bench database (plus the WAL writer) during the drain");
    boolean natsChecked = false;
    for (System_ s : List.copyOf(systems)) { // the servers first, so that the header names them all
      switch (s.kind) {
        case "postgres":
          pg();
          break;
        case "sqs":
          sqs();
          break;
        case "graphile": {
          pg();
          String why = graphile().unavailable();
          if (why != null) {
            out.println("# graphile-worker: " + why + "; skipping graphile-worker (install Node.js 14+ with npm)");
            systems.removeIf(x -> x.kind.equals("graphile"));
          } else {
            out.println("# " + graphile.describe());
          }
          break;
        }
        default:
          if (!natsChecked) {
            natsChecked = true;
            String why = nats().unavailable();
            if (why != null) {
              if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("no NATS server under CI=true: " + why);
              }
              out.println("# NATS: " + why + "; skipping the NATS systems (start nats-server -js, or give --nats-url)");
              systems.removeIf(x -> x.kind.equals("nats"));
            }
          }
      }
    }
    int failures = 0;
    boolean header = false;
    for (int pct : failing) {
      Map<String, Double> rates = new LinkedHashMap<>();
      List<String[]> rows = new ArrayList<>();
      for (System_ s : systems) {
        if (pct > 0 && !s.failingRounds) {
          if (s.kind.equals("graphile")) {
            out.printf(Locale.ROOT, "# %d%% failing: graphile-worker not run: a failed job's next run is exp(attempts) s"
                + " away, fixed in its SQL, so the round would time its backoff (2.7 + 7.4 + 20 s), not the worker%n", pct);
          }
          continue;
        }
        // NATS drains 100,000+ messages a second: give it more, so that its drain lasts seconds
        int sn = s.kind.equals("nats") ? natsN : n;
        int sw = s.kind.equals("nats") ? Math.min(warmup, natsN) : warmup;
        if (sw > 0) {
          System.err.printf(Locale.ROOT, "warming up %s (%d tasks, %d%% failing)%n", s.key, sw, pct);
          measure(s.factory.apply(this), new Work(sw, pct, Work.ATTEMPTS, timeout), pgCpu(s), s.kind.equals("nats"));
        }
        System.err.printf(Locale.ROOT, "measuring %s (%d tasks, %d%% failing)%n", s.key, sn, pct);
        Work work = new Work(sn, pct, Work.ATTEMPTS, timeout);
        double load = Machine.load();
        Contender c = s.factory.apply(this);
        Measured m = measure(c, work, pgCpu(s), s.kind.equals("nats"));
        String problem = check(work, m.result);
        if (problem != null) {
          failures++;
        }
        double rate = sn / (m.nanos / 1e9);
        rates.put(s.key, rate);
        rows.add(new String[] {s.key,
            String.format(Locale.ROOT, "%-8s %-56s %8d %7d %8d %8.2f %,10.0f %6s %6s", pct + "%", m.name,
                m.result.completed() + m.result.dead(), m.result.dead(), m.result.executions(), m.nanos / 1e9, rate,
                perTask(m.jvmCpu, sn), perTask(m.pgCpu, sn)),
            String.format(Locale.ROOT, "  %s %.2f%s%s", m.otherCores < 0 ? "  -" : String.format(Locale.ROOT, "%.2f",
                m.otherCores), load, Machine.loaded(m.otherCores) ? " LOADED" : "",
                problem != null ? "  ERROR: " + problem : "")});
      }
      if (!header) {
        out.printf(Locale.ROOT, "%-8s %-56s %8s %7s %8s %8s %10s %6s %6s %8s  %s%n", "failing", "system", "tasks", "dead",
            "execs", "seconds", "tasks/s", "jvm", "pg", "ratio", "others load");
        header = true;
      }
      // ratios once every system of the round has run, whatever order was given
      for (String[] row : rows) {
        out.println(row[1] + String.format(Locale.ROOT, " %8s", ratio(system(row[0]), rates)) + row[2]);
      }
      summary(pct, systems, rates, smoke);
    }
    return failures;
  }

  /** Whether the system works on the bench database, so that the PostgreSQL CPU column applies. */
  private static boolean pgCpu(System_ s) {
    return s.kind.equals("postgres") || s.kind.equals("graphile");
  }

  private static String ratio(System_ s, Map<String, Double> rates) {
    if (s.baseline == null) {
      return s.key.startsWith(DB_SCHEDULER) ? (s.key.equals(best(rates)) ? "best" : "-") : "base";
    }
    Double b = baseline(s.baseline, rates);
    if (b == null) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.2fx", rates.get(s.key) / b);
  }

  /** The key of the fastest db-scheduler configuration of a round, or null. */
  private static String best(Map<String, Double> rates) {
    String best = null;
    for (Map.Entry<String, Double> e : rates.entrySet()) {
      if (e.getKey().startsWith(DB_SCHEDULER) && (best == null || e.getValue() > rates.get(best))) {
        best = e.getKey();
      }
    }
    return best;
  }

  /** The rate of {@code baseline}; for db-scheduler, its best configuration of the round. */
  private static Double baseline(String baseline, Map<String, Double> rates) {
    if (baseline.equals(DB_SCHEDULER)) {
      String best = best(rates);
      return best == null ? null : rates.get(best);
    }
    return rates.get(baseline);
  }

  private void summary(int pct, List<System_> systems, Map<String, Double> rates, boolean smoke) {
    String best = best(rates);
    if (best != null) {
      out.printf(Locale.ROOT, "#   %d%% failing: best db-scheduler configuration: %s, %,.0f tasks/s%n", pct, best,
          rates.get(best));
    }
    for (System_ s : systems) {
      Double b = s.baseline == null ? null : baseline(s.baseline, rates);
      if (s.target <= 0 || !rates.containsKey(s.key) || b == null) {
        continue;
      }
      double r = rates.get(s.key) / b;
      String name = s.baseline.equals(DB_SCHEDULER) ? best : s.baseline;
      out.printf(Locale.ROOT, "#   %d%% failing: %s / %s = %.2fx, target >= %.2fx: %s%n", pct, s.key, name, r,
          s.target, smoke ? "not judged in smoke mode" : r >= s.target ? "met" : "NOT MET");
    }
    // issue 11: dlq >= graphile-worker, where it ran
    Double g = rates.get("graphile-worker");
    for (System_ s : systems) {
      if (g != null && s.key.startsWith("dlq-postgres") && rates.containsKey(s.key)) {
        double r = rates.get(s.key) / g;
        out.printf(Locale.ROOT, "#   %d%% failing: %s / graphile-worker = %.2fx, target >= 1.00x: %s%n", pct, s.key, r,
            smoke ? "not judged in smoke mode" : r >= 1.0 ? "met" : "NOT MET");
      }
    }
  }

  /** What went wrong with the work, or null. */
  private static String check(Work w, Result r) {
    long deadWanted = w.expectedDead();
    if (r.left() != 0) {
      return r.left() + " tasks left in the queue";
    }
    if (r.dead() != deadWanted || r.completed() != w.n() - deadWanted) {
      return "expected " + (w.n() - deadWanted) + " completed and " + deadWanted + " dead but got " + r.completed()
          + " and " + r.dead();
    }
    if (r.executions() < w.expectedExecutions()) {
      return "expected at least " + w.expectedExecutions() + " executions but got " + r.executions();
    }
    return null;
  }

  /** A drain's figures; CPU in nanoseconds from the start until the clock stopped, -1 when unknown. */
  private record Measured(String name, long nanos, Result result, long jvmCpu, long pgCpu, double otherCores) {}

  private Measured measure(Contender c, Work work, boolean postgres, boolean nats) throws Exception {
    try (c) {
      c.prepare(work);
      System.gc();
      long jvm0 = Machine.jvmCpuNanos();
      long pg0 = postgres ? Machine.postgresCpuNanos(Postgres.DATABASE) : -1;
      long nats0 = nats ? Machine.processCpuNanos("/usr/sbin/nats-server") + Machine.processCpuNanos("nats-server") : 0;
      long busy0 = Machine.machineBusyNanos();
      long t0 = System.nanoTime();
      ThreadCpu threads0 = opts.containsKey("thread-cpu") ? ThreadCpu.snapshot() : null;
      long ext0 = c.externalCpuNanos();
      long[] atEnd = {-1, -1, 0, -1, 0, 0};
      ThreadCpu[] threads1 = {null};
      Work w = new Work(work.n(), work.failingPercent(), work.maxAttempts(), work.timeout(), () -> {
        // when the clock stops, before the contender stops its threads
        atEnd[0] = Machine.jvmCpuNanos();
        atEnd[1] = postgres ? Machine.postgresCpuNanos(Postgres.DATABASE) : -1;
        atEnd[2] = nats ? Machine.processCpuNanos("/usr/sbin/nats-server") + Machine.processCpuNanos("nats-server") : 0;
        atEnd[3] = Machine.machineBusyNanos();
        atEnd[4] = System.nanoTime();
        atEnd[5] = c.externalCpuNanos();
        if (threads0 != null) {
          threads1[0] = ThreadCpu.snapshot();
        }
      });
      Result r = c.drain(w);
      // the JVM's CPU, plus that of the contender's own processes outside it (graphile-worker's Node)
      long jvm = jvm0 < 0 || atEnd[0] < 0 ? -1 : atEnd[0] - jvm0 + (atEnd[5] - ext0);
      long pgc = pg0 < 0 || atEnd[1] < 0 ? -1 : atEnd[1] - pg0;
      // what the rest of the machine did meanwhile: all busy CPU less this JVM, the bench database and nats-server
      double others = -1;
      if (busy0 >= 0 && atEnd[3] >= 0 && jvm >= 0 && atEnd[4] > t0) {
        long mine = jvm + Math.max(0, pgc) + (atEnd[2] - nats0);
        others = Math.max(0, atEnd[3] - busy0 - mine) / (double) (atEnd[4] - t0);
      }
      if (threads1[0] != null) {
        System.err.println("  thread CPU µs/task, " + c.name() + ": " + threads1[0].since(threads0, work.n()));
      }
      return new Measured(c.name(), r.nanos(), r, jvm, pgc, others);
    }
  }

  private static String perTask(long cpuNanos, long tasks) {
    return cpuNanos < 0 ? "-" : String.format(Locale.ROOT, "%.0f", cpuNanos / 1000.0 / tasks);
  }
}
