package dev.dlq.admin;

import dev.dlq.StoreUnavailableException;
import dev.dlq.sqs.RedriveRequest;
import dev.dlq.sqs.RedriveResult;
import dev.dlq.sqs.SqsClients;
import dev.dlq.sqs.SqsRedrive;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@code dlq sqs}: SQS has no dead-letter store; its dead-letter queue is redriven ({@link SqsRedrive}). */
@Command(name = "sqs", mixinStandardHelpOptions = true, versionProvider = DlqCommand.Version.class,
    description = "SQS: move messages from a dead-letter queue back to their queue.",
    subcommands = {SqsCommand.Redrive.class, CommandLine.HelpCommand.class})
final class SqsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return Action.usage(spec);
  }

  @Command(name = "redrive", description = {
      "Move messages from an SQS dead-letter queue back to the queue each came from (or --target), paced by --rate.",
      "By --id it moves those (exit 3, nothing moved, when one is not there); otherwise, without --yes, it only counts.",
      "Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, else the AWS SDK's default chain."})
  static final class Redrive extends Action {
    @Option(names = "--dlq-url", paramLabel = "URL", required = true, description = "the dead-letter queue's URL")
    String dlqUrl;
    @Option(names = "--target", paramLabel = "URL", description = "send everything here (needed for messages SQS itself moved)")
    String target;
    @Option(names = "--endpoint", paramLabel = "URL", description = "an SQS endpoint other than AWS's (ElasticMQ, LocalStack)")
    String endpoint;
    @Option(names = "--region", paramLabel = "R", description = "the region (default AWS_REGION, else us-east-1)")
    String region;
    @Option(names = "--id", paramLabel = "ID", description = "a dead-letter id or message id to move, repeatable")
    List<String> ids;
    @Option(names = "--match", paramLabel = "NAME=VALUE", description = "an attribute or header to match, repeatable (dlq-type=order)")
    Map<String, String> match;
    @Option(names = "--limit", paramLabel = "N", description = "move at most N") String limit;
    @Option(names = "--rate", paramLabel = "N", defaultValue = "50", description = "messages a second at most (default 50)")
    String rate;
    @Option(names = "--hold", paramLabel = "SECONDS", defaultValue = "300", description = "seconds the messages looked at stay hidden during the run (default 300)")
    String hold;
    @Option(names = "--dry-run", description = "only count what matches") boolean dryRun;
    @Option(names = "--yes", description = "move what matches (not needed with --id)") boolean yes;

    @Override
    int run() throws InterruptedException {
      if (ids != null && match != null) {
        throw new IllegalArgumentException("give --id or --match, not both");
      }
      RedriveRequest request = ids != null ? RedriveRequest.ids(ids)
          : match != null ? RedriveRequest.matching(new LinkedHashMap<>(match)) : RedriveRequest.all();
      if (limit != null) {
        request = request.withLimit(Filters.intIn("--limit", limit, 1, Integer.MAX_VALUE));
      }
      try (SqsClient client = client()) {
        SqsRedrive redrive = SqsRedrive.builder(client, dlqUrl).ratePerSecond(Filters.rate(rate))
            .hold(Duration.ofSeconds(Filters.intIn("--hold", hold, 1, 43_200))).build();
        if (target != null) {
          redrive = SqsRedrive.builder(client, dlqUrl).target(target).ratePerSecond(Filters.rate(rate))
              .hold(Duration.ofSeconds(Filters.intIn("--hold", hold, 1, 43_200))).build();
        }
        if (dryRun || (ids == null && !yes)) {
          RedriveResult r = redrive.run(request.asDryRun());
          out().println("would move " + r.matched() + " of " + r.scanned() + " messages"
              + (dryRun ? "" : "; add --yes to do it"));
          return Exit.OK;
        }
        RedriveResult seen = redrive.run(request.asDryRun());
        if (ids != null && seen.matched() < ids.size()) {
          throw new Exit.NotFound((ids.size() - seen.matched()) + " of the " + ids.size()
              + " ids are not in the dead-letter queue; nothing was moved");
        }
        // progress: what left the dead-letter queue (a move deletes it there), out of what the count saw
        long before = depth(client);
        RedriveResult r;
        try (Progress p = new Progress(err(), cli().tty(), "redriving", seen.matched(), () -> before - depth(client))) {
          r = redrive.run(request);
        }
        out().println("moved " + r.moved() + " of " + r.matched() + " matched (" + r.scanned() + " looked at)"
            + (r.failed() > 0 ? "; " + r.failed() + " failed" : "") + (r.stoppedEarly() ? "; stopped after repeated failures" : ""));
        r.failures().forEach(f -> err().println("  " + Text.clean(f, 500)));
        return r.failed() > 0 || r.stoppedEarly() ? Exit.FAILED : Exit.OK;
      } catch (SdkClientException e) {
        throw new StoreUnavailableException("sqs", "cannot reach SQS: " + e.getMessage(), e);
      }
    }

    /** Messages in the dead-letter queue, visible or held. */
    private long depth(SqsClient client) {
      Map<QueueAttributeName, String> a = client.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
          .attributes();
      return Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
          + Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    private SqsClient client() {
      String r = region != null ? region : env().getOrDefault("AWS_REGION", "us-east-1");
      String key = env().get("AWS_ACCESS_KEY_ID");
      String secret = env().get("AWS_SECRET_ACCESS_KEY");
      return key != null && secret != null ? SqsClients.create(endpoint, r, key, secret) : SqsClients.create(endpoint, r);
    }
  }
}
