package dev.dlq.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.dlq.DeadLetter;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RecordResult;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.spi.DlqObserver;
import dev.dlq.bench.drain.Postgres;
import dev.dlq.postgres.NewTask;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.PostgresSchema;
import dev.dlq.spi.Source;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak: a steady enqueue rate into a PostgreSQL queue for a while, a dlq worker draining it, a
 * slice of the tasks always failing (retried, then dead-lettered). Once per interval it prints the
 * throughput, the pickup latency (enqueue to the processor's first call; p50, p99, max), the backlog
 * and the heap after a full GC, so that a leak (heap creeping up) or a slowdown (throughput or p99
 * drifting) shows. At the end it stops enqueuing, waits for the drain and checks that every task was
 * completed or dead-lettered exactly once; the exit code is 1 when not. Not run in CI except as a
 * few-seconds smoke run.
 *
 * <pre>
 * ./mvnw -q -B -pl dlq-bench -am package -DskipTests
 * java -cp dlq-bench/target/benchmarks.jar dev.dlq.bench.Soak --minutes 30 --rate 500 --failing 5
 * java -cp dlq-bench/target/benchmarks.jar dev.dlq.bench.Soak --smoke          # 6 s, for CI
 * </pre>
 *
 * <p>Options: {@code --minutes 10} (or {@code --seconds N}) how long to enqueue; {@code --rate 500}
 * tasks a second; {@code --failing 5} percent of tasks that always fail (3 attempts 200 ms apart,
 * then dead); {@code --interval 60} seconds between report lines; {@code --concurrency 8} worker
 * threads; {@code --postgres-url} as for {@link Drain}; {@code --smoke} 6 s at 200 a second,
 * reports every 2 s. Each report forces a full GC ({@code System.gc()}) to read the live heap.
 */
public final class Soak {
  private static final String SCHEMA = "dlq_soak";
  private static final String QUEUE = "soak";
  private static final int TICKS_PER_SECOND = 10;

  private final PrintStream out = System.out;
  private final Latencies latencies = new Latencies();
  private final AtomicLong enqueued = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong dead = new AtomicLong();
  private final AtomicLong executions = new AtomicLong();
  private double carry; // fractional tasks owed by the enqueue ticks (producer thread only)

  private Soak() {}

  public static void main(String[] args) throws Exception {
    Settings s;
    try {
      s = Settings.of(Drain.parse(args));
    } catch (IllegalArgumentException e) {
      System.err.println("Soak: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (s == null) {
      System.out.println("usage: Soak [--minutes 10 | --seconds N] [--rate 500] [--failing 5] [--interval 60] "
          + "[--concurrency 8] [--postgres-url URL] [--smoke]");
      return;
    }
    System.exit(new Soak().run(s) ? 0 : 1);
  }

  private boolean run(Settings s) throws Exception {
    try (Postgres pg = Postgres.open(s.postgresUrl()); HikariDataSource ds = pg.pool("soak", 8)) {
      out.println("# " + pg.describe());
      out.printf(Locale.ROOT, "# soak: %d s at %d tasks/s, %d%% failing, %d worker threads, a report every %d s%n",
          s.seconds(), s.rate(), s.failingPercent(), s.concurrency(), s.interval());
      Postgres.exec(ds, "drop schema if exists " + SCHEMA + " cascade");
      PostgresSchema.migrate(ds, SCHEMA);
      PostgresQueue queue = PostgresQueue.builder(ds, QUEUE).schema(SCHEMA).build();
      ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "soak-enqueue"));
      try (Source source = queue.source(); Worker worker = worker(source, queue, s)) {
        worker.start();
        producer.scheduleAtFixedRate(() -> enqueueTick(queue, s), 0, 1000 / TICKS_PER_SECOND, TimeUnit.MILLISECONDS);
        report(ds, s);
        producer.shutdown();
        producer.awaitTermination(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (completed.get() + dead.get() < enqueued.get() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      } finally {
        producer.shutdownNow();
      }
      boolean ok = check(ds);
      Postgres.exec(ds, "drop schema if exists " + SCHEMA + " cascade");
      return ok;
    }
  }

  private Worker worker(Source source, PostgresQueue queue, Settings s) {
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
    int pct = s.failingPercent();
    return Worker.builder(source, m -> {
      executions.incrementAndGet();
      String[] parts = m.payloadAsString().split(":", 2); // "<number>:<enqueued at, epoch micros>"
      if (m.attempt() == 1) {
        latencies.add(nowMicros() - Long.parseLong(parts[1]));
      }
      if (Long.parseLong(parts[0]) % 100 < pct) {
        throw new IllegalStateException("the failing slice");
      }
      return Outcome.success();
    }).sink(queue.deadLetterStore()).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(200), 3))
        .concurrency(s.concurrency()).observer(counts).build();
  }

  private void enqueueTick(PostgresQueue queue, Settings s) {
    try {
      carry += (double) s.rate() / TICKS_PER_SECOND;
      int n = (int) carry;
      carry -= n;
      if (n == 0) {
        return;
      }
      List<NewTask> batch = new ArrayList<>(n);
      long at = nowMicros();
      for (int i = 0; i < n; i++) {
        long number = enqueued.get() + i;
        batch.add(NewTask.of("soak", (number + ":" + at).getBytes(StandardCharsets.UTF_8)));
      }
      queue.enqueueBatch(batch);
      enqueued.addAndGet(n);
    } catch (RuntimeException e) {
      System.err.println("soak: enqueue failed: " + e);
    }
  }

  private void report(HikariDataSource ds, Settings s) throws Exception {
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(s.seconds());
    long settledBefore = 0;
    long last = start;
    out.println("elapsed_s  enqueued  settled  per_s    pickup_p50_ms  pickup_p99_ms  pickup_max_ms  backlog  heap_after_gc_mb");
    while (System.nanoTime() < end) {
      long next = Math.min(end, last + TimeUnit.SECONDS.toNanos(s.interval()));
      Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime())));
      long now = System.nanoTime();
      long settled = completed.get() + dead.get();
      long[] pickup = latencies.drain();
      System.gc();
      double heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
      long backlog = Postgres.queryLong(ds, "select count(*) from " + SCHEMA + ".tasks where status in ('READY', 'RUNNING')");
      out.printf(Locale.ROOT, "%9d  %8d  %7d  %7.1f  %13.1f  %13.1f  %13.1f  %7d  %16.1f%n",
          Math.round((now - start) / 1e9), enqueued.get(), settled,
          (settled - settledBefore) / ((now - last) / 1e9), Latencies.percentile(pickup, 50) / 1000.0,
          Latencies.percentile(pickup, 99) / 1000.0, Latencies.percentile(pickup, 100) / 1000.0, backlog, heapMb);
      settledBefore = settled;
      last = now;
    }
  }

  private boolean check(HikariDataSource ds) throws Exception {
    long left = Postgres.queryLong(ds, "select count(*) from " + SCHEMA + ".tasks where status in ('READY', 'RUNNING')");
    long stored = Postgres.queryLong(ds, "select count(*) from " + SCHEMA + ".dead_letters");
    boolean ok = completed.get() + dead.get() == enqueued.get() && left == 0 && stored == dead.get();
    out.printf(Locale.ROOT, "soak: %s: %d enqueued, %d completed, %d dead-lettered (%d dead letters stored), %d left, "
        + "%d processor calls%n", ok ? "ok" : "FAILED", enqueued.get(), completed.get(), dead.get(), stored, left,
        executions.get());
    return ok;
  }

  private static long nowMicros() {
    return TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
  }

  /** The soak's settings, checked. */
  record Settings(long seconds, int rate, int failingPercent, int interval, int concurrency, String postgresUrl) {
    /** Null when {@code --help} was asked. */
    static Settings of(Map<String, String> o) {
      if (o.containsKey("help")) {
        return null;
      }
      for (String k : o.keySet()) {
        if (!List.of("minutes", "seconds", "rate", "failing", "interval", "concurrency", "postgres-url", "smoke")
            .contains(k)) {
          throw new IllegalArgumentException("unknown option --" + k + " (see --help)");
        }
      }
      boolean smoke = o.containsKey("smoke");
      long seconds = o.containsKey("seconds") ? Options.number(o, "seconds", 0, 1, 7 * 86400)
          : Options.number(o, "minutes", smoke ? 0 : 10, 0, 7 * 1440) * 60;
      if (smoke && !o.containsKey("seconds") && !o.containsKey("minutes")) {
        seconds = 6;
      }
      if (seconds < 1) {
        throw new IllegalArgumentException("--minutes or --seconds must give at least 1 s");
      }
      return new Settings(seconds, (int) Options.number(o, "rate", smoke ? 200 : 500, 1, 100_000),
          (int) Options.number(o, "failing", 5, 0, 100), (int) Options.number(o, "interval", smoke ? 2 : 60, 1, 86400),
          (int) Options.number(o, "concurrency", 8, 1, 256), o.get("postgres-url"));
    }

  }

  /** Pickup latencies of one interval, in microseconds. Thread-safe. */
  static final class Latencies {
    private long[] values = new long[1024];
    private int size;

    synchronized void add(long micros) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = micros;
    }

    /** The values since the last call, sorted; the buffer starts again small. */
    synchronized long[] drain() {
      long[] got = java.util.Arrays.copyOf(values, size);
      values = new long[1024];
      size = 0;
      java.util.Arrays.sort(got);
      return got;
    }

    /** The {@code p}th percentile (nearest rank) of sorted {@code v}; 0 when empty. */
    static long percentile(long[] v, int p) {
      if (v.length == 0) {
        return 0;
      }
      int rank = (int) Math.ceil(p / 100.0 * v.length);
      return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }
  }
}
