package dev.dlq.admin;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code dlq}: the root of the command tree. A new command is one class annotated {@code @Command}
 * (usually extending {@link Action}) listed in {@code subcommands} here, or in the parent it belongs
 * to ({@link DeadLettersCommand}).
 */
@Command(name = "dlq", mixinStandardHelpOptions = true, versionProvider = DlqCommand.Version.class,
    description = "Retries, dead-lettering and recovery for failed messages: the operator's command line.",
    subcommands = {DeadLettersCommand.class, ReplayCommands.Replays.class, MonitorCommand.class, ServeCommand.class, MigrateCommand.class, SqsCommand.class,
        DemoCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "The store: --store postgres|nats|memory (or DLQ_STORE), --url (or DLQ_STORE_URL), --set key=value.",
        "", "Exit codes: 0 done, 1 failed, 2 bad usage or input (nothing done), 3 not found (nothing done),",
        "            4 store unavailable (unreachable, or its schema missing: dlq migrate)."})
final class DlqCommand implements Callable<Integer> {
  final Main.Cli cli;
  @Spec CommandSpec spec;

  DlqCommand(Main.Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    return Action.usage(spec);
  }

  /** {@code dlq --version}: the version in the jar's manifest, else the one Maven wrote into the classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      return new String[] {"dlq " + version(), "Java " + System.getProperty("java.version") + " ("
          + System.getProperty("java.vendor") + ")"};
    }

    static String version() throws IOException {
      String v = DlqCommand.class.getPackage().getImplementationVersion();
      if (v != null) {
        return v;
      }
      Properties p = new Properties();
      try (InputStream in = DlqCommand.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return p.getProperty("version", "unknown");
    }
  }
}
