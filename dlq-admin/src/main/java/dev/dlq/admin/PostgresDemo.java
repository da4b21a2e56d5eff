package dev.dlq.admin;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStats;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.Failure;
import dev.dlq.InvalidMessageException;
import dev.dlq.Jitter;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RecordResult;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.spi.DlqObserver;
import dev.dlq.postgres.NewTask;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.PostgresSchema;
import dev.dlq.spi.Source;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The demo on PostgreSQL: starts an embedded PostgreSQL whose data stays in a directory (or uses
 * {@code --url}), enqueues a few thousand tasks of several types (some fail for a while, some
 * always, some are not even valid input), runs a {@link Worker} with a progress bar, prints a
 * summary and how to look at the dead letters. {@code --browse} starts the same database again
 * with the web console over its dead letters.
 */
final class PostgresDemo {
  static final String SCHEMA = "dlq_demo";
  static final String QUEUE = "demo";
  private static final int DEFAULT_PORT = 54329;

  /** Type, share of the tasks in percent, and what happens to it. */
  private static final String[][] TYPES = {
      {"order.created", "40", "succeeds"},
      {"payment.captured", "20", "times out twice, then succeeds"},
      {"email.send", "10", "always hits a bug: dead after 4 attempts"},
      {"refund.requested", "10", "invalid amount: dead at once (user error)"},
      {"invoice.issued", "15", "half are not JSON: dead at once (invalid)"},
      {"report.generate", "5", "refused by the processor: dead at once (rejected)"},
  };

  private PostgresDemo() {}

  private static final class Options {
    int tasks = 3000;
    long seed = 7;
    Path data = Path.of(System.getenv().getOrDefault("DLQ_DEMO_DATA", "dlq-demo-data"));
    String url;
    boolean browse;
    int port = 8080;
    int pgPort = DEFAULT_PORT;
    String schema = SCHEMA;
  }

  static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("dlq demo: " + e.getMessage());
      return 2;
    }
    if (o.url == null && !embeddedAvailable()) {
      err.println("dlq demo: this jar has no embedded PostgreSQL: run dlq-demo.jar (./dlq demo does), or give"
          + " --url JDBC_URL, or --memory");
      return Exit.USAGE;
    }
    quietLogs();
    EmbeddedPostgres pg = null;
    try {
      DataSource ds;
      String jdbcUrl;
      if (o.url != null) {
        PGSimpleDataSource simple = new PGSimpleDataSource();
        simple.setURL(o.url);
        ds = simple;
        jdbcUrl = o.url;
        out.println("dlq demo on the PostgreSQL at " + o.url + " (schema " + o.schema + ")");
      } else {
        pg = startEmbedded(o, out);
        ds = pg.getPostgresDatabase();
        jdbcUrl = pg.getJdbcUrl("postgres", "postgres");
      }
      return o.browse ? browse(o, args, ds, jdbcUrl, out) : demo(o, args, ds, jdbcUrl, out);
    } catch (SQLException e) {
      err.println("dlq demo: cannot use the database" + (o.url != null ? " at " + o.url : "") + ": "
          + oneLine(e.getMessage()));
      return 1;
    } catch (java.net.BindException e) {
      err.println("dlq demo: cannot listen on 127.0.0.1:" + o.port + ": " + e.getMessage()
          + " (is another server on that port? try --port)");
      return 1;
    } catch (IOException | IllegalStateException e) {
      err.println("dlq demo: " + oneLine(e.getMessage()));
      return 1;
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  /** Whether the embedded PostgreSQL is on the class path: in dlq-demo.jar, not in dlq.jar. */
  static boolean embeddedAvailable() {
    try {
      Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", false, PostgresDemo.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static Options parse(List<String> args) {
    Options o = new Options();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--browse")) {
        o.browse = true;
        continue;
      }
      if (!List.of("--tasks", "--messages", "--seed", "--data", "--url", "--port", "--pg-port", "--schema").contains(a)) {
        throw new IllegalArgumentException("unknown option '" + a + "' (options: --tasks N, --data DIR, --url JDBC_URL, "
            + "--schema NAME, --seed N, --browse [--port 8080], --pg-port N, --memory)");
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String v = args.get(++i);
      switch (a) {
        case "--tasks":
        case "--messages":
          o.tasks = number(a, v, 1, 200_000);
          break;
        case "--seed":
          o.seed = number(a, v, 0, Integer.MAX_VALUE);
          break;
        case "--data":
          o.data = Path.of(v);
          break;
        case "--url":
          if (!v.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--url must be a JDBC URL starting with jdbc:postgresql: but was '" + v + "'");
          }
          o.url = v;
          break;
        case "--port":
          o.port = number(a, v, 0, 65535);
          break;
        case "--schema":
          if (!v.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("--schema must be a plain identifier but was '" + v + "'");
          }
          o.schema = v;
          break;
        default:
          o.pgPort = number(a, v, 1, 65535);
      }
    }
    return o;
  }

  private static int number(String option, String v, int min, int max) {
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " must be a whole number from " + min + " to " + max + " but was '" + v + "'");
  }

  /** The embedded server's own chatter is not part of the demo. */
  private static void quietLogs() {
    System.setProperty("org.slf4j.simpleLogger.log.io.zonky", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.dev.dlq.postgres.internal.Migrator", "warn");
  }

  private static EmbeddedPostgres startEmbedded(Options o, PrintStream out) throws IOException {
    Path dir = o.data.toAbsolutePath().normalize();
    boolean existed = Files.isRegularFile(dir.resolve("PG_VERSION"));
    Files.createDirectories(dir);
    int port = free(o.pgPort) ? o.pgPort : 0;
    out.println((existed ? "starting" : "creating") + " embedded PostgreSQL with its data in " + dir);
    EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
        .setPGStartupWait(Duration.ofSeconds(60));
    if (port > 0) {
      b.setPort(port);
    }
    return b.start();
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  // ---- the demo

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  private static int demo(Options o, List<String> args, DataSource ds, String jdbcUrl, PrintStream out)
      throws Exception {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + o.schema + " CASCADE"); // the previous run's demo data
    }
    PostgresSchema.migrate(ds, o.schema);
    DlqMetrics metrics = DlqMetrics.create();
    PostgresQueue queue = PostgresQueue.builder(ds, QUEUE).schema(o.schema).build();
    PostgresDeadLetterStore store = queue.deadLetterStore();

    Random random = new Random(o.seed);
    List<NewTask> tasks = new ArrayList<>(o.tasks);
    for (int i = 1; i <= o.tasks; i++) {
      String type = pick(random);
      String body = type.equals("invoice.issued") && i % 2 == 0 ? "{\"invoice\": " + i
          : "{\"n\": " + i + ", \"amount\": " + (random.nextInt(9900) + 100) + "}";
      tasks.add(NewTask.of(type, body.getBytes(StandardCharsets.UTF_8), Map.of("demo", "true", "seq", Integer.toString(i)))
          .withId(String.format("task-%05d", i)));
    }
    queue.enqueueBatch(tasks);

    out.println("enqueued " + o.tasks + " tasks to queue '" + QUEUE + "' (schema " + o.schema + "):");
    for (String[] t : TYPES) {
      out.printf("  %-17s %3s%%  %s%n", t[0], t[1], t[2]);
    }
    out.println();

    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger afterRetries = new AtomicInteger();
    AtomicInteger dead = new AtomicInteger();
    AtomicInteger retrying = new AtomicInteger();
    DlqObserver listener = new DlqObserver() {
      @Override
      public void succeeded(Message m, Duration took) {
        succeeded.incrementAndGet();
        if (m.attempt() > 1) {
          afterRetries.incrementAndGet();
          retrying.decrementAndGet();
        }
      }

      @Override
      public void retried(Message m, dev.dlq.Attempt f, Duration delay) {
        if (m.attempt() == 1) {
          retrying.incrementAndGet();
        }
      }

      @Override
      public void deadLettered(DeadLetter dl, RecordResult result, Duration took) {
        dead.incrementAndGet();
        if (dl.message().attempt() > 1) {
          retrying.decrementAndGet();
        }
      }
    };
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(4)
        .exponentialBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).jitter(Jitter.EQUAL).build();
    Progress bar = new Progress(out, o.tasks);
    long t0 = System.nanoTime();
    boolean finished;
    try (Source source = queue.source("demo-worker");
         Worker worker = Worker.builder(source, PostgresDemo::process).retryPolicy(policy).sink(store).observer(metrics)
             .observer(listener).concurrency(8).workerId("demo-worker").build()) {
      worker.start();
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (succeeded.get() + dead.get() < o.tasks && System.nanoTime() < deadline) {
        bar.draw(succeeded.get(), Math.max(0, retrying.get()), dead.get(), t0, false);
        Thread.sleep(100);
      }
      finished = succeeded.get() + dead.get() >= o.tasks;
      bar.draw(succeeded.get(), Math.max(0, retrying.get()), dead.get(), t0, true);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    summary(out, store, metrics, o.tasks, succeeded.get(), afterRetries.get(), seconds);
    howToLook(out, o, args, jdbcUrl);
    return finished ? 0 : 1;
  }

  private static String pick(Random random) {
    int r = random.nextInt(100);
    for (String[] t : TYPES) {
      r -= Integer.parseInt(t[1]);
      if (r < 0) {
        return t[0];
      }
    }
    return TYPES[0][0];
  }

  /** The demo's processor: what each type does (see {@link #TYPES}). */
  static Outcome process(Message m) throws Exception {
    switch (m.type()) {
      case "payment.captured":
        if (m.attempt() <= 2) {
          throw new TimeoutException("payment gateway timed out after 2000 ms");
        }
        return Outcome.success();
      case "email.send":
        throw new IllegalStateException("template renderer has a bug: missing variable 'firstName'");
      case "refund.requested":
        throw new IllegalArgumentException("refund amount exceeds the order total");
      case "invoice.issued":
        if (!m.payloadAsString().trim().endsWith("}")) {
          throw new InvalidMessageException("invoice payload is not JSON: " + m.payloadAsString());
        }
        return Outcome.success();
      case "report.generate":
        return Outcome.deadLetter("report too large for the free plan");
      default:
        return Outcome.success();
    }
  }

  private static void summary(PrintStream out, PostgresDeadLetterStore store, DlqMetrics metrics, int tasks,
      int succeeded, int afterRetries, double seconds) {
    DeadLetterStats stats = store.stats(DeadLetterFilter.all());
    Map<String, Long> byReason = new LinkedHashMap<>();
    for (DeadLetterReason r : DeadLetterReason.values()) {
      long n = store.count(DeadLetterFilter.builder().reason(r).build());
      if (n > 0) {
        byReason.put(r.name(), n);
      }
    }
    out.println();
    out.printf("summary: %d tasks in %.1f s, %.0f tasks/s%n", tasks, seconds, tasks / Math.max(seconds, 1e-3));
    out.printf("  succeeded        %6d  (%d of them after retries)%n", succeeded, afterRetries);
    out.printf("  retries          %6d%n", metrics.retriesTotal());
    out.printf("  dead-lettered    %6d%n", stats.total());
    out.println("    by reason:      " + join(byReason));
    out.println("    by error class: " + join(sorted(stats.byErrorClass())));
    out.println("    by type:        " + join(sorted(stats.byType())));
    out.println("  failure groups (fingerprint, count, error):");
    stats.byFingerprint().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
        .forEach(e -> {
          String example = store.find(dev.dlq.DeadLetterQuery.of(DeadLetterFilter.builder().fingerprint(e.getKey()).build(), 1))
              .items().stream().findFirst().map(s -> s.deadLetter().errorType() + ": " + s.deadLetter().errorMessage())
              .orElse("");
          out.printf("    %s  %5d  %s%n", e.getKey(), e.getValue(), cut(example, 80));
        });
  }

  private static <K> Map<String, Long> sorted(Map<K, Long> m) {
    Map<String, Long> out = new LinkedHashMap<>();
    m.entrySet().stream().sorted(Map.Entry.<K, Long>comparingByValue().reversed()
        .thenComparing(e -> e.getKey().toString()))
        .forEach(e -> out.put(e.getKey().toString(), e.getValue()));
    return out;
  }

  private static String join(Map<String, Long> m) {
    StringBuilder sb = new StringBuilder();
    m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
    return sb.length() == 0 ? "none" : sb.toString();
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  /**
   * The command that browses what this run left: every option it was given except the ones that only
   * shape a run (--tasks, --messages, --seed).
   */
  static String browseCommand(List<String> args) {
    StringBuilder b = new StringBuilder("./dlq demo --browse");
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      boolean valued = i + 1 < args.size() && a.startsWith("--") && !a.equals("--browse");
      if (List.of("--tasks", "--messages", "--seed").contains(a)) {
        i++;
        continue;
      }
      if (a.equals("--browse")) {
        continue;
      }
      b.append(' ').append(a);
      if (valued) {
        b.append(' ').append(shellQuote(args.get(++i)));
      }
    }
    return b.toString();
  }

  private static String shellQuote(String v) {
    return v.matches("[A-Za-z0-9_./:=@%+,-]+") ? v : "'" + v.replace("'", "'\\''") + "'";
  }

  private static void howToLook(PrintStream out, Options o, List<String> args, String jdbcUrl) {
    out.println();
    out.println("the dead letters are kept in PostgreSQL (schema " + o.schema
        + (o.url == null ? ", data in " + o.data.toAbsolutePath().normalize() : "") + "). Look at them:");
    out.println("  " + browseCommand(args) + "     web console and API at http://127.0.0.1:" + o.port + "/");
    if (o.url != null) {
      out.println("  ./dlq dead-letters list --store postgres --url '" + jdbcUrl + "' --set schema=" + o.schema);
      out.println("  ./dlq dead-letters stats --store postgres --url '" + jdbcUrl + "' --set schema=" + o.schema);
    } else {
      out.println("  while --browse runs, from another terminal:");
      out.println("  ./dlq dead-letters list --store postgres --url '" + jdbcUrl + "' --set schema=" + o.schema);
      out.println("  ./dlq dead-letters replay-batch --reason EXHAUSTED --dry-run --store postgres --url '" + jdbcUrl
          + "' --set schema=" + o.schema);
    }
  }

  // ---- browse

  private static int browse(Options o, List<String> args, DataSource ds, String jdbcUrl, PrintStream out)
      throws Exception {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("SELECT 1 FROM " + o.schema + ".dead_letters LIMIT 1");
    } catch (SQLException e) {
      out.println("no demo data here yet: run ./dlq demo first" + (o.url != null ? " --url '" + o.url + "'" : ""));
      return 1;
    }
    PostgresDeadLetterStore store = PostgresDeadLetterStore.builder(ds).schema(o.schema).build();
    try (AdminServer server = AdminServer.builder(store).port(o.port).replayRate(50).build().start()) {
      out.println("web console and API: http://127.0.0.1:" + server.port() + "/   (Ctrl-C stops)");
      out.println("the CLI, from another terminal:");
      out.println("  ./dlq dead-letters list  --store postgres --url '" + jdbcUrl + "' --set schema=" + o.schema);
      out.println("  ./dlq dead-letters stats --store postgres --url '" + jdbcUrl + "' --set schema=" + o.schema);
      CountDownLatch forever = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
      forever.await();
    }
    return 0;
  }

  /** One line that redraws itself on a terminal, or a line a second elsewhere. */
  private static final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final int total;
    private final boolean terminal = System.console() != null;
    private long lastLine;

    Progress(PrintStream out, int total) {
      this.out = out;
      this.total = total;
    }

    void draw(int ok, int retrying, int dead, long t0, boolean last) {
      long now = System.nanoTime();
      if (!terminal && !last && now - lastLine < 1_000_000_000L) {
        return;
      }
      lastLine = now;
      int done = ok + dead;
      int filled = (int) ((long) WIDTH * done / Math.max(1, total));
      double rate = done / Math.max((now - t0) / 1e9, 1e-3);
      String line = String.format("  [%s%s] %6d/%d  ok %d  retrying %d  dead %d  %.0f tasks/s", "#".repeat(filled),
          "-".repeat(WIDTH - filled), done, total, ok, retrying, dead, rate);
      if (terminal) {
        out.print("\r" + line + "   ");
        if (last) {
          out.println();
        }
      } else {
        out.println(line);
      }
      out.flush();
    }
  }
}
