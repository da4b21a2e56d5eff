package dev.dlq.admin;

import dev.dlq.DlqException;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.spi.DeadLetterStore;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** The {@code dlq} command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the exit code (0 ok, 2 bad usage or input, 1 failure). */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    return run(args, out, err, System.getenv());
  }

  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) throws Exception {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
      usage(out);
      return args.length == 0 ? 2 : 0;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      switch (args[0]) {
        case "demo":
          return rest.contains("--memory") ? MemoryDemo.run(rest, out, err) : PostgresDemo.run(rest, out, err);
        case "dead-letters":
          return deadLetters(rest, out, env);
        case "serve":
          return serve(rest, out, env);
        case "migrate":
          return MigrateCommand.run(rest, out, env);
        default:
          err.println("dlq: unknown command '" + args[0] + "'");
          usage(err);
          return 2;
      }
    } catch (IllegalArgumentException e) {
      err.println("dlq " + args[0] + ": " + e.getMessage());
      return 2;
    } catch (DlqException e) {
      err.println("dlq " + args[0] + ": " + e.getMessage());
      return 1;
    }
  }

  private static int deadLetters(List<String> rest, PrintStream out, Map<String, String> env) {
    if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      throw new IllegalArgumentException("which action?\n" + DeadLettersCommand.usage());
    }
    Args a = Args.parse(rest.subList(1, rest.size()), DeadLettersCommand.VALUED, DeadLettersCommand.SWITCHES);
    try (DeadLetterStore store = StoreOptions.open(a, env)) {
      return new DeadLettersCommand(store, a, out, env).run(rest.get(0), a);
    }
  }

  private static int serve(List<String> rest, PrintStream out, Map<String, String> env) throws Exception {
    Args a = Args.parse(rest, DeadLettersCommand.union(StoreOptions.OPTIONS,
        Set.of("bind", "port", "token", "replay-rate", "redact-header", "redact-field")), Set.of());
    int port = Filters.intIn("port", a.get("port", "8080"), 0, 65535);
    double rate = Filters.rate(a.get("replay-rate", "50"));
    try (DeadLetterStore store = StoreOptions.open(a, env);
         AdminServer server = new AdminServer(store, new Views(DeadLettersCommand.redaction(a)), DlqMetrics.create(),
             a.get("bind", "127.0.0.1"), port, a.get("token", env.get("DLQ_ADMIN_TOKEN")), rate)) {
      out.println("dlq admin on http://" + a.get("bind", "127.0.0.1") + ":" + server.port()
          + "/  (API under /api/dead-letters, metrics at /metrics)");
      CountDownLatch forever = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
      forever.await();
    }
    return 0;
  }

  static void usage(PrintStream out) {
    out.println("usage: dlq <command> [options]");
    out.println();
    out.println("commands:");
    out.println("  demo [--tasks N] [--data DIR] [--url JDBC_URL] [--browse]");
    out.println("                                       the demo on embedded PostgreSQL (data in ./dlq-demo-data)");
    out.println("  demo --memory [--messages N]         the in-memory demo, one line per message");
    out.println("  dead-letters <action> [options]      list, show, stats, replay, replay-batch, resolve, discard,");
    out.println("                                       purge, export, audit (dlq dead-letters help)");
    out.println("  serve [--port 8080] [--bind 127.0.0.1] [--token T] [--replay-rate 50]");
    out.println("                                       the HTTP admin API, web console and /metrics");
    out.println("  migrate --url JDBC_URL [--schema dlq] [--check]");
    out.println("                                       create or upgrade dlq's PostgreSQL tables (or only check them)");
    out.println("  help                                 this text");
    out.println();
    out.println("the store: --store postgres|nats|sqs|memory (or DLQ_STORE), --url URL (or DLQ_STORE_URL), --set key=value");
  }
}
