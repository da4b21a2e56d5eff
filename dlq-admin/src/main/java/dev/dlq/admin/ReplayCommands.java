package dev.dlq.admin;

import dev.dlq.FailureGroup;
import dev.dlq.ReplayJob;
import dev.dlq.ReplayPlan;
import dev.dlq.ReplayRunner;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.DlqObserver;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlq dead-letters groups} and {@code dlq replays ...}: failure groups and replay jobs ({@link ReplayRunner}). */
final class ReplayCommands {
  private ReplayCommands() {}

  @Command(name = "groups", description = "Failure groups (one fingerprint each): count, pending, first and last seen, types, a sample error.")
  static final class Groups extends StoreAction {
    @Mixin FilterOptions filters;
    @Mixin DeadLetterReads.OutputOption output;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most N groups, largest first (default 50)")
    String limit;

    @Override
    int run(DeadLetterStore store) {
      List<FailureGroup> groups = store.groups(filters.filter(), Filters.intIn("--limit", limit, 1, 1000));
      if (output.output == Table.Output.json) {
        JsonArrayBuilder arr = Json.createArrayBuilder();
        groups.forEach(g -> arr.add(Views.group(g)));
        out().println(Json.createObjectBuilder().add("groups", arr).build());
        return Exit.OK;
      }
      Table t = new Table("FINGERPRINT", "COUNT", "PENDING", "FIRST SEEN", "LAST SEEN", "TYPES", "ERROR");
      groups.forEach(g -> t.row(g.fingerprint(), g.count(), g.pending(), g.firstSeen(), g.lastSeen(),
          String.join(",", g.types()), Text.clean(g.errorType() + ": " + g.sampleError(), 80)));
      t.print(out(), output.output);
      return Exit.OK;
    }
  }

  @Command(name = "replays", mixinStandardHelpOptions = true, versionProvider = DlqCommand.Version.class,
      description = "Replay jobs: a snapshot of dead letters sent back with a canary, a ramp and an automatic stop when they die again.",
      subcommands = {Start.class, Run.class, ListJobs.class, Show.class, Pause.class, Resume.class, Cancel.class,
          CommandLine.HelpCommand.class})
  static final class Replays implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return Action.usage(spec);
    }
  }

  /** A replays action: opens the store and a runner over it that reports progress on stderr. */
  abstract static class JobAction extends StoreAction {
    @Mixin OperatorOption operator;

    @Override
    final int run(DeadLetterStore store) throws Exception {
      try (ReplayRunner runner = ReplayRunner.builder(store).observer(new DlqObserver() {
        @Override
        public void replayProgress(ReplayJob job) {
          err().printf("job %s: %s, %d of %d sent, %d died again, %.1f/s%n", job.id(), job.state(), job.sent(),
              job.total(), job.diedAgain(), job.rate());
        }
      }).build()) {
        return run(runner, operator.name(env()));
      }
    }

    abstract int run(ReplayRunner runner, String operator) throws Exception;

    void print(ReplayJob j) {
      out().printf("job %s  %s  target %s%n  total %d, sent %d, skipped %d, died again %d, pending %d%s%n", j.id(),
          j.state(), j.target(), j.total(), j.sent(), j.skipped(), j.diedAgain(), j.pending(),
          j.reason() == null || j.reason().isBlank() ? "" : "\n  reason: " + j.reason());
    }

    static ReplayJob known(ReplayRunner runner, String id) {
      return runner.job(id).orElseThrow(() -> new Exit.NotFound("no replay job '" + Text.clean(id, 100) + "'"));
    }
  }

  @Command(name = "start", description = {
      "Snapshot what to replay (a --group, --id, or the filter's PENDING dead letters) as a job and show the count and a sample.",
      "With --yes it runs the job now: a canary first, then the rate ramps up to --max-rate, and it stops by itself",
      "when replayed messages die again. Without --yes nothing is sent: run it later with `dlq replays run ID`."})
  static final class Start extends JobAction {
    @Mixin FilterOptions filters;
    @Option(names = "--group", paramLabel = "FINGERPRINT", description = "every pending dead letter of this failure group")
    String group;
    @Option(names = "--id", paramLabel = "ID", description = "these dead letters (repeatable)")
    List<String> ids;
    @Option(names = "--max-rate", paramLabel = "N", defaultValue = "50", description = "the ramp's top rate per second (default 50)")
    double maxRate;
    @Option(names = "--canary", paramLabel = "N", defaultValue = "1", description = "messages sent first and watched (default 1)")
    int canary;
    @Option(names = "--step", paramLabel = "SECONDS", defaultValue = "30", description = "seconds per ramp step and canary watch (default 30)")
    int step;
    @Option(names = "--yes", description = "run it now")
    boolean yes;

    @Override
    int run(ReplayRunner runner, String operator) {
      ReplayPlan.Builder b = ReplayPlan.builder(operator).maxRate(maxRate).canary(canary)
          .canaryWait(Duration.ofSeconds(step)).stepDuration(Duration.ofSeconds(step));
      if (group != null) {
        b.group(group);
      } else if (ids != null && !ids.isEmpty()) {
        b.ids(ids);
      } else {
        b.filter(filters.filter());
      }
      ReplayJob job = runner.prepare(b.build());
      print(job);
      out().println("  sample: " + String.join(", ", runner.ids(job.id(), 0, 5)));
      if (!yes) {
        out().println("dry run: nothing was sent; run it with: dlq replays run " + job.id() + " (same --store/--url)");
        return Exit.OK;
      }
      print(runner.run(job.id()));
      return Exit.OK;
    }
  }

  /** An action on one job named by its id: exit 3 when there is no such job. */
  abstract static class OneJob extends JobAction {
    @Parameters(paramLabel = "JOB") String id;

    @Override
    final int run(ReplayRunner runner, String operator) {
      known(runner, id);
      return run(runner, operator, id);
    }

    abstract int run(ReplayRunner runner, String operator, String id);
  }

  @Command(name = "run", description = "Run a planned job, or carry on with one that was running when its process stopped.")
  static final class Run extends OneJob {
    @Override
    int run(ReplayRunner runner, String operator, String id) {
      print(runner.run(id));
      return Exit.OK;
    }
  }

  @Command(name = "list", description = "Replay jobs, newest first.")
  static final class ListJobs extends JobAction {
    @Mixin DeadLetterReads.OutputOption output;

    @Override
    int run(ReplayRunner runner, String operator) {
      Table t = new Table("JOB", "STATE", "TOTAL", "SENT", "DIED AGAIN", "PENDING", "OPERATOR", "CREATED");
      runner.jobs(100).forEach(j -> t.row(j.id(), j.state(), j.total(), j.sent(), j.diedAgain(), j.pending(),
          j.operator(), j.createdAt()));
      t.print(out(), output.output == Table.Output.json ? Table.Output.csv : output.output);
      return Exit.OK;
    }
  }

  @Command(name = "show", description = "One replay job and a sample of its dead letters.")
  static final class Show extends OneJob {
    @Override
    int run(ReplayRunner runner, String operator, String id) {
      print(known(runner, id));
      out().println("  sample: " + String.join(", ", runner.ids(id, 0, 10)));
      return Exit.OK;
    }
  }

  @Command(name = "pause", description = "Pause a running job (its runner stops at the next message).")
  static final class Pause extends OneJob {
    @Override
    int run(ReplayRunner runner, String operator, String id) {
      print(runner.pause(id, operator));
      return Exit.OK;
    }
  }

  @Command(name = "resume", description = "Resume a paused job and run it here until it ends.")
  static final class Resume extends OneJob {
    @Override
    int run(ReplayRunner runner, String operator, String id) {
      runner.resume(id, operator);
      print(runner.run(id));
      return Exit.OK;
    }
  }

  @Command(name = "cancel", description = "Cancel a job; what was sent stays sent, nothing more is.")
  static final class Cancel extends OneJob {
    @Override
    int run(ReplayRunner runner, String operator, String id) {
      print(runner.cancel(id, operator));
      return Exit.OK;
    }
  }
}
