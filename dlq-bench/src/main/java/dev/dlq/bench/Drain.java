package dev.dlq.bench;

import dev.dlq.bench.drain.Contender;
import dev.dlq.bench.drain.Contender.Result;
import dev.dlq.bench.drain.Contender.Work;
import dev.dlq.bench.drain.DbSchedulerDrain;
import dev.dlq.bench.drain.Postgres;
import dev.dlq.bench.drain.RawSqlDrain;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The end-to-end drain: N no-op tasks through each system, side by side in one run, one line per
 * system with its rate and its ratio to the baseline the issue names (db-scheduler for PostgreSQL,
 * the raw client loop for SQS and NATS), then the DESIGN §8 targets met or not.
 *
 * <pre>
 * ./mvnw -q -B -pl dlq-bench -am package -DskipTests
 * java -cp dlq-bench/target/benchmarks.jar dev.dlq.bench.Drain --n 50000
 * java -cp dlq-bench/target/benchmarks.jar dev.dlq.bench.Drain --smoke      # seconds, for CI
 * </pre>
 *
 * <p>Options: {@code --n N} tasks per round (default 50000); {@code --failing 0,10} percentages of
 * always-failing tasks (3 retries, zero backoff, then dead); {@code --systems a,b} (default all:
 * {@value #ALL}); {@code --warmup N} an untimed round per system first (default N/5, 0 in smoke
 * mode); {@code --postgres-url jdbc:..} (else DLQ_BENCH_POSTGRES_URL, else 127.0.0.1:5432 user
 * postgres, else embedded); {@code --threads 16} db-scheduler threads; {@code --raw-threads 2} and
 * {@code --raw-batch 100} for the raw-SQL ceiling; {@code --timeout 600} seconds per drain before it
 * is declared stuck; {@code --smoke} N=1000, no warm-up, exit code 1 if any system lost or
 * duplicated work (no rate is judged in smoke mode).
 */
public final class Drain {
  static final String ALL = "db-scheduler,raw-sql";

  private final Map<String, String> opts;
  private final PrintStream out = System.out;

  private Drain(Map<String, String> opts) {
    this.opts = opts;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    if (opts.containsKey("help")) {
      System.out.println("usage: Drain [--n 50000] [--failing 0,10] [--systems " + ALL + "] [--warmup N] "
          + "[--postgres-url URL] [--threads 16] [--raw-threads 2] [--raw-batch 100] [--timeout 600] [--smoke]");
      return;
    }
    int failures = new Drain(opts).run();
    System.exit(failures == 0 ? 0 : 1);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("expected an option such as --n but was '" + a + "'");
      }
      String key = a.substring(2);
      if (key.equals("smoke") || key.equals("help")) {
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

  private int intOpt(String key, int def) {
    String v = opts.get(key);
    if (v == null) {
      return def;
    }
    try {
      return Integer.parseInt(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + key + " must be a number but was '" + v + "'");
    }
  }

  private int run() throws Exception {
    boolean smoke = opts.containsKey("smoke");
    int n = intOpt("n", smoke ? 1000 : 50_000);
    int warmup = intOpt("warmup", smoke ? 0 : Math.max(1000, n / 5));
    Duration timeout = Duration.ofSeconds(intOpt("timeout", smoke ? 120 : 600));
    List<Integer> failing = new ArrayList<>();
    for (String f : opts.getOrDefault("failing", "0,10").split(",")) {
      failing.add(Integer.parseInt(f.trim()));
    }
    List<String> systems = List.of(opts.getOrDefault("systems", ALL).split(","));
    int failures = 0;
    try (Postgres pg = Postgres.open(opts.get("postgres-url"))) {
      out.printf(Locale.ROOT, "# dlq drain %s  n=%d  warmup=%d%s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS), n,
          warmup, smoke ? "  SMOKE (tiny N: the rates mean nothing)" : "");
      out.println("# machine: " + Machine.describe());
      out.println("# " + pg.describe());
      Map<String, Supplier<Contender>> all = contenders(pg);
      for (String s : systems) {
        if (!all.containsKey(s.trim())) {
          throw new IllegalArgumentException("--systems: unknown system '" + s + "'; known: " + all.keySet());
        }
      }
      out.printf(Locale.ROOT, "%-8s %-52s %8s %7s %8s %8s %10s %8s  %s%n", "failing", "system", "tasks", "dead", "execs",
          "seconds", "tasks/s", "ratio", "load");
      for (int pct : failing) {
        Map<String, Double> rates = new LinkedHashMap<>();
        List<String[]> rows = new ArrayList<>();
        for (String s : systems) {
          String key = s.trim();
          if (warmup > 0) {
            System.err.printf(Locale.ROOT, "warming up %s (%d tasks, %d%% failing)%n", key, warmup, pct);
            measure(all.get(key), new Work(warmup, pct, Work.ATTEMPTS, timeout));
          }
          System.err.printf(Locale.ROOT, "measuring %s (%d tasks, %d%% failing)%n", key, n, pct);
          Work work = new Work(n, pct, Work.ATTEMPTS, timeout);
          double load = Machine.load();
          Measured m = measure(all.get(key), work);
          String problem = check(work, m.result);
          if (problem != null) {
            failures++;
          }
          double rate = n / (m.nanos / 1e9);
          rates.put(key, rate);
          rows.add(new String[] {key,
              String.format(Locale.ROOT, "%-8s %-52s %8d %7d %8d %8.2f %,10.0f", pct + "%", m.name,
                  m.result.completed() + m.result.dead(), m.result.dead(), m.result.executions(), m.nanos / 1e9, rate),
              String.format(Locale.ROOT, "  %.2f%s%s", load, Machine.loaded(load) ? " LOADED" : "",
                  problem != null ? "  ERROR: " + problem : "")});
        }
        // ratios once every system of this round has run, whatever the order given
        for (String[] row : rows) {
          out.println(row[1] + String.format(Locale.ROOT, " %8s", ratio(row[0], rates)) + row[2]);
        }
        summary(pct, rates, smoke);
      }
    }
    return failures;
  }

  private Map<String, Supplier<Contender>> contenders(Postgres pg) {
    Map<String, Supplier<Contender>> m = new LinkedHashMap<>();
    m.put("raw-sql", () -> new RawSqlDrain(pg, intOpt("raw-threads", 2), intOpt("raw-batch", 100)));
    m.put("db-scheduler", () -> new DbSchedulerDrain(pg, intOpt("threads", 16)));
    return m;
  }

  /** The baseline each system is compared with (DESIGN §8), or null. */
  static String baselineOf(String key) {
    switch (key) {
      case "raw-sql":
      case "dlq-postgres":
        return "db-scheduler";
      default:
        return null;
    }
  }

  private static String ratio(String key, Map<String, Double> rates) {
    String base = baselineOf(key);
    if (base == null) {
      return "base";
    }
    Double b = rates.get(base);
    if (b == null) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.2fx", rates.get(key) / b);
  }

  private void summary(int pct, Map<String, Double> rates, boolean smoke) {
    List<String> lines = new ArrayList<>();
    if (rates.containsKey("dlq-postgres") && rates.containsKey("db-scheduler")) {
      double r = rates.get("dlq-postgres") / rates.get("db-scheduler");
      lines.add(String.format(Locale.ROOT, "dlq-postgres / db-scheduler = %.2fx (target >= 4x: %s)", r,
          smoke ? "not judged in smoke mode" : r >= 4 ? "met" : "NOT met"));
    }
    if (rates.containsKey("raw-sql") && rates.containsKey("dlq-postgres")) {
      lines.add(String.format(Locale.ROOT, "dlq-postgres / raw-sql ceiling = %.0f%%",
          100 * rates.get("dlq-postgres") / rates.get("raw-sql")));
    }
    if (rates.containsKey("raw-sql") && rates.containsKey("db-scheduler")) {
      lines.add(String.format(Locale.ROOT, "raw-sql ceiling / db-scheduler = %.2fx",
          rates.get("raw-sql") / rates.get("db-scheduler")));
    }
    for (String l : lines) {
      out.println("#   " + pct + "% failing: " + l);
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

  private record Measured(String name, long nanos, Result result) {}

  private static Measured measure(Supplier<Contender> factory, Work work) throws Exception {
    try (Contender c = factory.get()) {
      c.prepare(work);
      System.gc();
      long t0 = System.nanoTime();
      Result r = c.drain(work);
      long took = System.nanoTime() - t0;
      return new Measured(c.name(), took, r);
    }
  }
}
