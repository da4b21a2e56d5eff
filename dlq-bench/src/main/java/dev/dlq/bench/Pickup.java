package dev.dlq.bench;

import dev.dlq.bench.drain.Postgres;
import dev.dlq.bench.pickup.DbSchedulerTarget;
import dev.dlq.bench.pickup.DlqTarget;
import dev.dlq.bench.pickup.Target;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Pickup latency of an idle worker: how long from the commit of an enqueue until the processor
 * starts on it. Samples go in one at a time, with a random gap before each (uniform between zero
 * and twice {@code --spacing-ms}) so that they fall at every point of a poll cycle instead of
 * right after one; the worker is idle between them. One line per system: p50, p99 and max over
 * {@code --n} samples, after {@code --warmup} untimed ones.
 *
 * <pre>
 * ./mvnw -q -B -pl dlq-bench -am package -DskipTests
 * java -cp dlq-bench/target/benchmarks.jar dev.dlq.bench.Pickup                 # n = 1000, ~6 min
 * java -cp dlq-bench/target/benchmarks.jar dev.dlq.bench.Pickup --smoke         # n = 20, seconds
 * </pre>
 *
 * <p>Options: {@code --n 1000} samples per system; {@code --warmup 20}; {@code --spacing-ms 100}
 * the mean gap between samples; {@code --systems} (default {@value #DEFAULT}; also
 * {@code dlq-postgres-poll}: the same worker with {@code listen(false)}); {@code --db-scheduler-poll-ms 1000}
 * db-scheduler's polling interval (the same once-a-second budget as dlq's poll wait);
 * {@code --seed 1} for the gaps; {@code --timeout 60} seconds to wait for the last sample;
 * {@code --postgres-url} as for {@link Drain}; {@code --smoke} n = 20, warm-up 3, spacing 20 ms.
 * The exit code is 1 when a sample never started or started twice.
 */
public final class Pickup {
  static final String DEFAULT = "dlq-postgres,db-scheduler,db-scheduler-immediate";
  private static final List<String> KNOWN = List.of("dlq-postgres", "dlq-postgres-poll", "db-scheduler",
      "db-scheduler-immediate");
  private static final List<String> OPTIONS = List.of("n", "warmup", "spacing-ms", "systems", "db-scheduler-poll-ms",
      "seed", "timeout", "postgres-url", "smoke", "help");

  private final PrintStream out = System.out;

  private Pickup() {}

  public static void main(String[] args) throws Exception {
    Settings s;
    try {
      s = Settings.of(Drain.parse(args));
    } catch (IllegalArgumentException e) {
      System.err.println("Pickup: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (s == null) {
      System.out.println("usage: Pickup [--n 1000] [--warmup 20] [--spacing-ms 100] [--systems " + DEFAULT + "] "
          + "[--db-scheduler-poll-ms 1000] [--seed 1] [--timeout 60] [--postgres-url URL] [--smoke]");
      return;
    }
    System.exit(new Pickup().run(s) ? 0 : 1);
  }

  private boolean run(Settings s) throws Exception {
    boolean ok = true;
    try (Postgres pg = Postgres.open(s.postgresUrl())) {
      out.printf(Locale.ROOT, "# dlq pickup %s  n=%d  warmup=%d  spacing=%d ms (uniform 0-%d)%s%n",
          Instant.now().truncatedTo(ChronoUnit.SECONDS), s.n(), s.warmup(), s.spacingMillis(), 2 * s.spacingMillis(),
          s.smoke() ? "  SMOKE: tiny N, the figures mean nothing" : "");
      out.println("# machine: " + Machine.describe());
      out.println("# " + pg.describe());
      out.println("# pickup: from the return of the enqueue's commit to the processor's first line, milliseconds;"
          + " others: cores used on average by everything but this JVM and the bench database's PostgreSQL"
          + " processes (LOADED above 0.25); load: the 1-minute load average before");
      out.printf(Locale.ROOT, "%-78s %7s %8s %8s %8s  %s%n", "system", "samples", "p50_ms", "p99_ms", "max_ms",
          "others load");
      Random random = new Random(s.seed());
      for (String key : s.systems()) {
        try (Target t = target(key, pg, s)) {
          ok &= measure(t, s, random);
        }
      }
    }
    return ok;
  }

  private static Target target(String key, Postgres pg, Settings s) {
    switch (key) {
      case "dlq-postgres":
        return new DlqTarget(pg, true);
      case "dlq-postgres-poll":
        return new DlqTarget(pg, false);
      case "db-scheduler":
        return new DbSchedulerTarget(pg, Duration.ofMillis(s.dbSchedulerPollMillis()), false);
      default:
        return new DbSchedulerTarget(pg, Duration.ofMillis(s.dbSchedulerPollMillis()), true);
    }
  }

  private boolean measure(Target t, Settings s, Random random) throws Exception {
    int total = s.warmup() + s.n();
    AtomicLongArray committed = new AtomicLongArray(total);
    AtomicLongArray started = new AtomicLongArray(total);
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger twice = new AtomicInteger();
    t.start(i -> {
      long now = System.nanoTime();
      calls.incrementAndGet();
      if (i < 0 || i >= total || !started.compareAndSet(i, 0, now)) {
        twice.incrementAndGet();
      }
    });
    System.err.printf(Locale.ROOT, "measuring %s (%d samples after %d untimed)%n", t.name(), s.n(), s.warmup());
    double load = Machine.load();
    long jvm0 = -1;
    long pg0 = -1;
    long busy0 = -1;
    long t0 = 0;
    for (int i = 0; i < total; i++) {
      if (i == s.warmup()) {
        jvm0 = Machine.jvmCpuNanos();
        pg0 = Machine.postgresCpuNanos(Postgres.DATABASE);
        busy0 = Machine.machineBusyNanos();
        t0 = System.nanoTime();
      }
      Thread.sleep(random.nextInt(2 * s.spacingMillis() + 1));
      t.enqueue(i);
      committed.set(i, System.nanoTime());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(s.timeoutSeconds());
    while (calls.get() < total && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    double others = -1;
    long jvm1 = Machine.jvmCpuNanos();
    long pg1 = Machine.postgresCpuNanos(Postgres.DATABASE);
    long busy1 = Machine.machineBusyNanos();
    long t1 = System.nanoTime();
    if (jvm0 >= 0 && pg0 >= 0 && busy0 >= 0 && jvm1 >= 0 && t1 > t0) {
      others = Math.max(0, (busy1 - busy0) - (jvm1 - jvm0) - (pg1 - pg0)) / (double) (t1 - t0);
    }
    long[] micros = new long[s.n()];
    int missing = 0;
    for (int i = s.warmup(); i < total; i++) {
      long st = started.get(i);
      if (st == 0) {
        missing++;
        continue;
      }
      // the processor may start a few microseconds before the client hears its commit
      micros[i - s.warmup()] = Math.max(0, TimeUnit.NANOSECONDS.toMicros(st - committed.get(i)));
    }
    for (int i = 0; i < s.warmup(); i++) {
      if (started.get(i) == 0) {
        missing++;
      }
    }
    Arrays.sort(micros);
    String problem = missing > 0 ? "  ERROR: " + missing + " samples never started"
        : twice.get() > 0 ? "  ERROR: " + twice.get() + " samples started more than once" : "";
    out.printf(Locale.ROOT, "%-78s %7d %8.1f %8.1f %8.1f  %s %.2f%s%s%n", t.name(), s.n(),
        Soak.Latencies.percentile(micros, 50) / 1000.0,
        Soak.Latencies.percentile(micros, 99) / 1000.0, Soak.Latencies.percentile(micros, 100) / 1000.0,
        others < 0 ? "  -" : String.format(Locale.ROOT, "%.2f", others), load,
        Machine.loaded(others) ? " LOADED" : "", problem);
    return problem.isEmpty();
  }

  /** The benchmark's settings, checked. */
  record Settings(int n, int warmup, int spacingMillis, List<String> systems, int dbSchedulerPollMillis, long seed,
      int timeoutSeconds, String postgresUrl, boolean smoke) {
    /** Null when {@code --help} was asked. */
    static Settings of(Map<String, String> o) {
      if (o.containsKey("help")) {
        return null;
      }
      for (String k : o.keySet()) {
        if (!OPTIONS.contains(k)) {
          throw new IllegalArgumentException("unknown option --" + k + " (see --help)");
        }
      }
      boolean smoke = o.containsKey("smoke");
      List<String> systems = new ArrayList<>();
      for (String k : o.getOrDefault("systems", DEFAULT).split(",")) {
        if (!KNOWN.contains(k.trim())) {
          throw new IllegalArgumentException("--systems: unknown system '" + k.trim() + "'; known: "
              + String.join(",", KNOWN));
        }
        systems.add(k.trim());
      }
      return new Settings((int) Options.number(o, "n", smoke ? 20 : 1000, 1, 1_000_000),
          (int) Options.number(o, "warmup", smoke ? 3 : 20, 0, 1_000_000), (int) Options.number(o, "spacing-ms", smoke ? 20 : 100, 0, 60_000),
          List.copyOf(systems), (int) Options.number(o, "db-scheduler-poll-ms", 1000, 1, 600_000), Options.number(o, "seed", 1, 0,
          Long.MAX_VALUE), (int) Options.number(o, "timeout", 60, 1, 86_400), o.get("postgres-url"), smoke);
    }

  }
}
