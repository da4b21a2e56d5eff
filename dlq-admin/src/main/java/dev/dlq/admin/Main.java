package dev.dlq.admin;

import dev.dlq.DlqException;
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
    // UTF-8 whatever the locale says, so that names and notes print as they were stored
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        java.nio.charset.StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
        java.nio.charset.StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
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
    } catch (DlqException | java.io.UncheckedIOException e) {
      err.println("dlq " + args[0] + ": " + oneLine(e.getMessage()));
      return 1;
    } catch (java.io.IOException e) {
      err.println("dlq " + args[0] + ": " + oneLine(e.getMessage()));
      return 1;
    } catch (RuntimeException e) {
      if (env.containsKey("DLQ_DEBUG")) {
        e.printStackTrace(err);
      }
      err.println("dlq " + args[0] + ": unexpected " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage())
          + (env.containsKey("DLQ_DEBUG") ? "" : " (DLQ_DEBUG=1 shows the stack trace)"));
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
    Args a = Args.parse(rest, DeadLettersCommand.union(StoreOptions.OPTIONS, Set.of("bind", "port", "token", "tokens-file",
        "replay-rate", "max-bulk", "redact-header", "redact-field", "allowed-host", "allowed-origin", "tls-keystore",
        "tls-password")), Set.of());
    try (DeadLetterStore store = StoreOptions.open(a, env)) {
      AdminServer.Builder b = copyTo(a, env, AdminServer.builder(store));
      try (AdminServer server = b.build().start()) {
        out.println("dlq admin on " + (server.tls() ? "https" : "http") + "://" + hostForUrl(a.get("bind", "127.0.0.1"))
            + ":" + server.port() + "/  (API under /api/dead-letters, metrics at /metrics)");
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
        forever.await();
      } catch (java.net.BindException e) {
        throw new java.io.UncheckedIOException("cannot listen on " + a.get("bind", "127.0.0.1") + ":"
            + a.get("port", "8080") + ": " + e.getMessage() + " (is another server on that port? try --port)", e);
      }
    }
    return 0;
  }

  private static AdminServer.Builder copyTo(Args a, Map<String, String> env, AdminServer.Builder b) {
    b.bind(a.get("bind", "127.0.0.1")).port(Filters.intIn("port", a.get("port", "8080"), 0, 65535))
        .replayRate(Filters.rate(a.get("replay-rate", "50")))
        .maxBulk(Filters.intIn("max-bulk", a.get("max-bulk", "1000"), 1, 100_000))
        .redaction(DeadLettersCommand.redaction(a));
    List<String> tokens = a.values("token");
    if (tokens.isEmpty() && env.get("DLQ_ADMIN_TOKEN") != null && !env.get("DLQ_ADMIN_TOKEN").isBlank()) {
      tokens = List.of(env.get("DLQ_ADMIN_TOKEN"));
    }
    tokens.forEach(b::token);
    if (a.options.containsKey("tokens-file")) {
      b.tokensFile(java.nio.file.Path.of(a.get("tokens-file", "")));
    }
    a.values("allowed-host").forEach(b::allowedHost);
    a.values("allowed-origin").forEach(b::allowedOrigin);
    if (a.options.containsKey("tls-keystore")) {
      String pw = a.get("tls-password", env.get("DLQ_TLS_PASSWORD"));
      if (pw == null) {
        throw new IllegalArgumentException("--tls-keystore needs --tls-password (or DLQ_TLS_PASSWORD)");
      }
      b.tls(java.nio.file.Path.of(a.get("tls-keystore", "")), pw.toCharArray());
    }
    return b;
  }

  private static String hostForUrl(String bind) {
    return bind.contains(":") ? "[" + bind + "]" : bind;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
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
    out.println("  serve [--port 8080] [--bind 127.0.0.1] [--token name:role:secret]... [--tokens-file F]");
    out.println("        [--allowed-host H]... [--allowed-origin O]... [--tls-keystore KS --tls-password P]");
    out.println("        [--replay-rate 50] [--max-bulk 1000]");
    out.println("                                       the HTTP admin API, web console and /metrics;");
    out.println("                                       roles: viewer, operator, admin (docs/operating.md)");
    out.println("  migrate --url JDBC_URL [--schema dlq] [--check]");
    out.println("                                       create or upgrade dlq's PostgreSQL tables (or only check them)");
    out.println("  help                                 this text");
    out.println();
    out.println("the store: --store postgres|nats|sqs|memory (or DLQ_STORE), --url URL (or DLQ_STORE_URL), --set key=value");
  }
}
