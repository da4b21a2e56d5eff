package dev.dlq.admin;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dlq demo}: a worker run over a few thousand tasks on PostgreSQL (an embedded one, only in
 * dlq-demo.jar, or {@code --url}), or {@code --memory}. The options are checked here and again by
 * {@link PostgresDemo} and {@link MemoryDemo}, which also run from tests.
 */
@Command(name = "demo", description = {"A worker run over tasks that succeed, fail for a while, always fail or are invalid.",
    "On an embedded PostgreSQL (dlq-demo.jar, what ./dlq demo runs) or --url; --memory needs nothing."})
final class DemoCommand extends Action {
  @Option(names = "--memory", description = "in memory, one line per message") boolean memory;
  @Option(names = {"--tasks", "--messages"}, paramLabel = "N", description = "how many (default 3000; --memory: 20)")
  String tasks;
  @Option(names = "--seed", paramLabel = "N", description = "the random seed (default 7)") String seed;
  @Option(names = "--data", paramLabel = "DIR", description = "the embedded PostgreSQL's data (default ./dlq-demo-data)")
  String data;
  @Option(names = "--url", paramLabel = "JDBC_URL", description = "use this PostgreSQL instead of an embedded one") String url;
  @Option(names = "--schema", paramLabel = "NAME", description = "the schema (default dlq_demo)") String schema;
  @Option(names = "--browse", description = "serve the web console over what the last run left") boolean browse;
  @Option(names = "--port", paramLabel = "N", description = "--browse: the console's port (default 8080)") String port;
  @Option(names = "--pg-port", paramLabel = "N", description = "the embedded PostgreSQL's port (default 54329)") String pgPort;

  @Override
  int run() throws Exception {
    List<String> args = new ArrayList<>();
    if (memory) {
      List<String> postgresOnly = new ArrayList<>();
      add(postgresOnly, "--data", data);
      add(postgresOnly, "--url", url);
      add(postgresOnly, "--schema", schema);
      add(postgresOnly, "--port", port);
      add(postgresOnly, "--pg-port", pgPort);
      if (browse || !postgresOnly.isEmpty()) {
        throw new IllegalArgumentException("--memory takes only --messages and --seed");
      }
      add(args, "--messages", tasks);
      add(args, "--seed", seed);
      return MemoryDemo.run(args, out(), err());
    }
    add(args, "--tasks", tasks);
    add(args, "--seed", seed);
    add(args, "--data", data);
    add(args, "--url", url);
    add(args, "--schema", schema);
    add(args, "--port", port);
    add(args, "--pg-port", pgPort);
    if (browse) {
      args.add("--browse");
    }
    return PostgresDemo.run(args, out(), err());
  }

  private static void add(List<String> args, String option, String value) {
    if (value != null) {
      args.add(option);
      args.add(value);
    }
  }
}
