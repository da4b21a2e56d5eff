package dev.dlq.admin;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The {@code dlq} command line: parses with picocli ({@link DlqCommand} is the tree), maps failures to {@link Exit} codes. */
public final class Main {
  private Main() {}

  /**
   * The {@code dlq} launcher: runs one command and exits with its code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    if (System.getenv("DLQ_DEBUG") == null) {
      // a refused NATS connection is one line from the command, not a logged stack trace as well
      System.setProperty("org.slf4j.simpleLogger.log.dev.dlq.nats.internal.Nats", "error");
    }
    // UTF-8 whatever the locale says, so that names and notes print as they were stored
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, new Cli(out, err, System.getenv(), System.console() != null)));
  }

  /**
   * Runs one {@code dlq} command in this JVM, as the {@code dlq} launcher would, without exiting: for
   * an application's own operator tooling and for tests. Store settings come from the arguments and
   * the environment ({@code DLQ_STORE}, {@code DLQ_STORE_URL}), as on the command line.
   *
   * @param args the command line after {@code dlq}, such as {@code dead-letters list --output json}
   * @param out where the command prints its result
   * @param err where errors and progress go
   * @return the exit code: 0 done, 1 failed, 2 bad usage, 3 not found, 4 store unavailable (docs/cli.md)
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, System.getenv());
  }

  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(args, new Cli(out, err, env, false));
  }

  static int run(String[] args, Cli cli) {
    PrintStream out = cli.out();
    PrintStream err = cli.err();
    Map<String, String> env = cli.env();
    PrintWriter helpOut = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter helpErr = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CommandLine cl = commandLine(cli);
    cl.setOut(helpOut).setErr(helpErr);
    cl.setParameterExceptionHandler((e, ignored) -> {
      helpErr.println(name(e.getCommandLine()) + ": " + usageMessage(e));
      helpErr.println("try '" + name(e.getCommandLine()) + " --help'");
      return Exit.USAGE;
    });
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      boolean debug = env.containsKey("DLQ_DEBUG");
      if (debug) {
        e.printStackTrace(err);
      }
      int code = Exit.codeFor(e);
      boolean expected = code != Exit.FAILED || e instanceof dev.dlq.DlqException || e instanceof java.io.IOException
          || e instanceof java.io.UncheckedIOException;
      err.println(name(cmd) + ": " + (expected ? "" : "unexpected " + e.getClass().getSimpleName() + ": ")
          + oneLine(e.getMessage()) + (expected || debug ? "" : " (DLQ_DEBUG=1 shows the stack trace)"));
      return code;
    });
    try {
      return cl.execute(args);
    } finally {
      helpOut.flush();
      helpErr.flush();
      out.flush();
      err.flush();
    }
  }

  /** The whole tree, with the settings every command shares. */
  static CommandLine commandLine(Cli cli) {
    CommandLine cl = new CommandLine(new DlqCommand(cli));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(false);
    cl.setUsageHelpWidth(100);
    return cl;
  }

  private static String name(CommandLine cmd) {
    return cmd.getCommandSpec().qualifiedName();
  }

  /** Picocli's message, with a hint for the old camelCase spellings ({@code --errorClass}: {@code --error-class}). */
  private static String usageMessage(CommandLine.ParameterException e) {
    if (!(e instanceof CommandLine.UnmatchedArgumentException u)) {
      return oneLine(e.getMessage());
    }
    List<String> lines = new ArrayList<>();
    boolean options = u.getUnmatched().stream().anyMatch(a -> a.startsWith("-"));
    for (String arg : u.getUnmatched()) {
      if (!arg.startsWith("-")) {
        if (options) {
          continue; // most likely the value of the unknown option
        }
        lines.add("unexpected argument '" + Text.clean(arg, 80) + "'");
        continue;
      }
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String hint = RENAMED.getOrDefault(name, kebab(name));
      OptionSpec known = hint.equals(name) ? null
          : e.getCommandLine().getCommandSpec().findOption(hint.split(" ")[0]);
      lines.add("unknown option '" + Text.clean(name, 80) + "'" + (known != null ? "; did you mean '" + hint + "'?" : ""));
    }
    return String.join("; ", lines);
  }

  /** Options of earlier versions that are not just camelCase, and what replaced them. */
  private static final Map<String, String> RENAMED = Map.of("--json", "--output json", "--format", "--output");

  /** {@code --errorClass} as {@code --error-class}. */
  static String kebab(String option) {
    StringBuilder b = new StringBuilder();
    for (char c : option.toCharArray()) {
      if (Character.isUpperCase(c)) {
        b.append('-').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  /**
   * What every command runs with: where it prints, the environment it reads, and whether stderr is a
   * terminal (progress then redraws one line).
   */
  record Cli(PrintStream out, PrintStream err, Map<String, String> env, boolean tty) {}
}
