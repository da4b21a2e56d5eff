package dev.dlq.admin;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code dlq dead-letters <action>}: the reads ({@link DeadLetterReads}) and the changes
 * ({@link DeadLetterChanges}) on one store. A new action is one class extending {@link StoreAction}
 * (it gets --store, --url, --set and --help) listed in {@code subcommands} here.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true, versionProvider = DlqCommand.Version.class,
    description = "Look at dead letters and act on them: list, show, stats, export, audit; replay, resolve, discard, purge.",
    subcommands = {ReplayCommands.Groups.class, DeadLetterReads.List.class, DeadLetterReads.Show.class, DeadLetterReads.Stats.class,
        DeadLetterChanges.Replay.class, DeadLetterChanges.EditReplay.class, DeadLetterChanges.ReplayBatch.class, DeadLetterChanges.Resolve.class,
        DeadLetterChanges.Discard.class, DeadLetterChanges.Purge.class, DeadLetterReads.Export.class,
        DeadLetterReads.Audit.class, CommandLine.HelpCommand.class},
    footer = {"", "Each action: dlq dead-letters <action> --help"})
final class DeadLettersCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return Action.usage(spec);
  }
}
