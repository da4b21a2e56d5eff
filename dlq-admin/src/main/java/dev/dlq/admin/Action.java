package dev.dlq.admin;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that does something: {@link #run()} returns its exit code ({@link Exit}); an exception
 * it throws is printed on one line and mapped by {@link Exit#codeFor}. Every subclass gets
 * {@code --help}.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = DlqCommand.Version.class)
abstract class Action implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    return run();
  }

  abstract int run() throws Exception;

  Main.Cli cli() {
    return ((DlqCommand) spec.root().userObject()).cli;
  }

  PrintStream out() {
    return cli().out();
  }

  PrintStream err() {
    return cli().err();
  }

  Map<String, String> env() {
    return cli().env();
  }

  /** A command with subcommands run without one: its usage on stderr, exit 2. */
  static int usage(CommandSpec spec) {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Exit.USAGE;
  }
}
