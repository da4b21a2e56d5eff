package dev.dlq.admin;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The {@code dlq} command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the exit code (0 ok, 2 bad usage, 1 failure). */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
      usage(out);
      return args.length == 0 ? 2 : 0;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    switch (args[0]) {
      case "demo":
        return MemoryDemo.run(rest, out, err);
      default:
        err.println("dlq: unknown command '" + args[0] + "'");
        usage(err);
        return 2;
    }
  }

  static void usage(PrintStream out) {
    out.println("usage: dlq <command> [options]");
    out.println();
    out.println("commands:");
    out.println("  demo [--messages N] [--seed S]   run the in-memory demo and print what happened to each message");
    out.println("  help                             this text");
  }
}
