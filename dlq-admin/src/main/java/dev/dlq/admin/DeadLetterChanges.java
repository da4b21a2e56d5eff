package dev.dlq.admin;

import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.spi.DeadLetterStore;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The changes of {@code dlq dead-letters}. An id that is not in the store is exit 3 and changes
 * nothing, whatever the action; each change is audited under {@code --operator}.
 */
final class DeadLetterChanges {
  private DeadLetterChanges() {}

  /** {@code --rate} and {@code --dry-run}, shared by the replays. */
  static final class ReplayOptions {
    @Option(names = "--rate", paramLabel = "N", description = "at most N messages a second") String rate;
    @Option(names = "--dry-run", description = "only say what would be replayed") boolean dryRun;

    ReplayRequest apply(ReplayRequest r) {
      if (rate != null) {
        r = r.withRate(Filters.rate(rate));
      }
      return dryRun ? r.asDryRun() : r;
    }
  }

  @Command(name = "replay", description = "Send these PENDING dead letters back to their queue, with a fresh attempt budget.")
  static final class Replay extends StoreAction {
    @Parameters(paramLabel = "ID", arity = "1..*", description = "dead-letter ids") java.util.List<String> ids;
    @Mixin ReplayOptions replay;
    @Mixin OperatorOption operator;

    @Override
    int run(DeadLetterStore store) {
      requireKnown(store, ids);
      return printTo(out(), store.replay(replay.apply(ReplayRequest.ofIds(ids, operator.name(env())))));
    }
  }

  @Command(name = "replay-batch", description = {"Replay every PENDING dead letter that matches the filters.",
      "Without --yes (or with --dry-run) only says how many; with --rate, progress goes to stderr."})
  static final class ReplayBatch extends StoreAction {
    @Mixin FilterOptions filters;
    @Mixin ReplayOptions replay;
    @Mixin OperatorOption operator;
    @Option(names = "--yes", description = "do it") boolean yes;

    @Override
    int run(DeadLetterStore store) throws InterruptedException {
      DeadLetterFilter filter = filters.filter();
      ReplayRequest r = ReplayRequest.ofFilter(filter, operator.name(env()));
      if (!replay.dryRun && !yes) {
        ReplayResult dry = store.replay(r.asDryRun());
        out().println("would replay " + (dry.matched() - dry.skipped().size()) + " dead letters; add --yes to do it");
        return Exit.OK;
      }
      if (replay.dryRun || replay.rate == null) {
        return printTo(out(), store.replay(replay.apply(r)));
      }
      DeadLetterFilter pending = filter.withStatus(DeadLetterStatus.PENDING);
      long total = store.count(pending);
      try (Progress p = new Progress(err(), cli().tty(), "replaying", total, () -> total - store.count(pending))) {
        return printTo(out(), store.replay(replay.apply(r)));
      }
    }
  }

  @Command(name = "edit-replay", description = {"Replay a corrected copy of one PENDING dead letter: a new payload and/or headers.",
      "The copy is a lineage child (its own id, header dlq-parent-dead-letter-id); the dead letter becomes REPLAYED",
      "and keeps its original payload; the diff goes to the audit log. Allowed only for the message types in",
      "DLQ_ALLOW_EDITS (comma-separated, * for all): edits are off by default."})
  static final class EditReplay extends StoreAction {
    @Parameters(paramLabel = "ID", description = "the dead-letter id") String id;
    @Option(names = "--payload", paramLabel = "TEXT", description = "the new payload (UTF-8 text, such as JSON)") String payload;
    @Option(names = "--payload-file", paramLabel = "FILE", description = "the new payload, byte-exact from a file") java.nio.file.Path payloadFile;
    @Option(names = "--header", paramLabel = "K=V", description = "set a header, repeatable") java.util.List<String> headers;
    @Option(names = "--remove-header", paramLabel = "K", description = "remove a header, repeatable") java.util.List<String> removed;
    @Option(names = "--note", paramLabel = "TEXT", description = "why, for the audit log") String note;
    @Mixin OperatorOption operator;
    @Mixin RedactionOptions redaction;

    @Override
    int run(DeadLetterStore store) throws java.io.IOException {
      if (payload != null && payloadFile != null) {
        throw new IllegalArgumentException("give --payload or --payload-file, not both");
      }
      requireKnown(store, java.util.List.of(id));
      dev.dlq.ReplayEdit.Builder b = dev.dlq.ReplayEdit.builder(id, operator.name(env())).note(Text.clean(note, 1000));
      if (payload != null) {
        b.payload(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } else if (payloadFile != null) {
        b.payload(java.nio.file.Files.readAllBytes(payloadFile));
      }
      for (String kv : headers != null ? headers : java.util.List.<String>of()) {
        int eq = kv.indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException("--header must be NAME=VALUE but was '" + Text.clean(kv, 80) + "'");
        }
        b.header(kv.substring(0, eq), kv.substring(eq + 1));
      }
      (removed != null ? removed : java.util.List.<String>of()).forEach(b::removeHeader);
      dev.dlq.ReplayEdit edit = b.build();
      try (dev.dlq.ReplayRunner runner = dev.dlq.ReplayRunner.builder(store).allowEdits(editableTypes(env()))
          .redaction(redaction.format()).build()) {
        dev.dlq.EditedReplay r = runner.editAndReplay(edit);
        out().println("replayed a corrected copy " + r.copy().id() + " of " + r.deadLetterId() + " (replay " + r.replayId() + ")");
        r.changes().forEach(c -> out().println("  " + c));
      }
      return Exit.OK;
    }
  }

  /** The message types {@code DLQ_ALLOW_EDITS} allows edits of (comma-separated; {@code *} for all). */
  static java.util.List<String> editableTypes(java.util.Map<String, String> env) {
    String v = env.getOrDefault("DLQ_ALLOW_EDITS", "");
    return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
  }

  /** Moves PENDING dead letters, named by id, to another status, with a note for the audit log. */
  abstract static class StatusChange extends StoreAction {
    @Parameters(paramLabel = "ID", arity = "1..*", description = "dead-letter ids") java.util.List<String> ids;
    @Option(names = "--note", paramLabel = "TEXT", description = "why, for the audit log") String note;
    @Mixin OperatorOption operator;

    /** Applies the change and returns how many moved. */
    abstract int change(DeadLetterStore store, String operatorName, String cleanNote);

    /** The past participle printed before the count. */
    abstract String done();

    @Override
    int run(DeadLetterStore store) {
      requireKnown(store, ids);
      out().println(done() + " " + change(store, operator.name(env()), Text.clean(note, 1000)));
      return Exit.OK;
    }
  }

  @Command(name = "resolve", description = "Mark these PENDING dead letters RESOLVED (fixed another way).")
  static final class Resolve extends StatusChange {
    @Override
    int change(DeadLetterStore store, String operatorName, String cleanNote) {
      return store.resolve(ids, operatorName, cleanNote);
    }

    @Override
    String done() {
      return "resolved";
    }
  }

  @Command(name = "discard", description = "Mark these dead letters DISCARDED (never to be replayed).")
  static final class Discard extends StatusChange {
    @Override
    int change(DeadLetterStore store, String operatorName, String cleanNote) {
      return store.discard(ids, operatorName, cleanNote);
    }

    @Override
    String done() {
      return "discarded";
    }
  }

  @Command(name = "purge", description = "Delete resolved, replayed and discarded dead letters that died before a cutoff.")
  static final class Purge extends StoreAction {
    @Option(names = "--older-than", paramLabel = "AGE", required = true, description = "such as 30d") String olderThan;
    @Option(names = "--yes", description = "do it (without: only says what it would do)") boolean yes;
    @Mixin OperatorOption operator;

    @Override
    int run(DeadLetterStore store) {
      Instant cutoff = Instant.now().minus(Filters.age("--older-than", olderThan));
      if (!yes) {
        out().println("would delete resolved, replayed and discarded dead letters that died before " + cutoff
            + "; add --yes to do it");
        return Exit.OK;
      }
      out().println("purged " + store.purge(cutoff, operator.name(env())));
      return Exit.OK;
    }
  }

  private static int printTo(java.io.PrintStream out, ReplayResult res) {
    out.printf("%s %d of %d matched (replay %s)%s%n", res.dryRun() ? "would replay" : "replayed",
        res.dryRun() ? res.matched() - res.skipped().size() : res.replayed(), res.matched(), res.replayId(),
        res.skipped().isEmpty() ? "" : "; skipped (not pending): " + res.skipped().size());
    return Exit.OK;
  }
}
