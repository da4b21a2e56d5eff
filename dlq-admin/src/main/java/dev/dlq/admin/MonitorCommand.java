package dev.dlq.admin;

import dev.dlq.alerts.AlertDelivery;
import dev.dlq.alerts.AlertMonitor;
import dev.dlq.alerts.AlertRules;
import dev.dlq.alerts.Notifiers;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Notifier;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dlq monitor}: alert rules evaluated over a store by a process of their own (dlq-alerts). */
@Command(name = "monitor", description = {
    "Evaluate alert rules (a JSON rules file, docs/alerts.md) over a dead-letter store and send the alerts.",
    "The \"ops\" channel goes to --slack, else --webhook (signed with $DLQ_WEBHOOK_SECRET), else the log;",
    "\"log\" always logs. Runs until stopped, or one poll with --once."})
final class MonitorCommand extends StoreAction {
  @Option(names = "--rules", paramLabel = "FILE", required = true, description = "the rules file (JSON)")
  Path rules;
  @Option(names = "--webhook", paramLabel = "URL", description = "post ops alerts here, signed (HMAC-SHA256)")
  URI webhook;
  @Option(names = "--slack", paramLabel = "URL", description = "post ops alerts to this Slack incoming webhook")
  URI slack;
  @Option(names = "--console-url", paramLabel = "URL", description = "the console's base URL, linked from every alert")
  String consoleUrl;
  @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "30", description = "seconds between polls (default 30)")
  int interval;
  @Option(names = "--once", description = "poll once, send what it finds, and exit")
  boolean once;

  @Override
  int run(DeadLetterStore store) throws Exception {
    Notifier ops = Notifiers.log();
    if (slack != null) {
      ops = Notifiers.slack(slack);
    } else if (webhook != null) {
      String secret = env().get("DLQ_WEBHOOK_SECRET");
      if (secret == null || secret.isBlank()) {
        throw new IllegalArgumentException("--webhook needs the signing secret in $DLQ_WEBHOOK_SECRET");
      }
      ops = Notifiers.webhook(webhook, secret);
    }
    AlertDelivery delivery = AlertDelivery.builder().channel("ops", ops).channel("log", Notifiers.log()).build();
    AlertMonitor.Builder b = AlertMonitor.builder(store).rules(AlertRules.load(rules)).delivery(delivery)
        .deathsFromStore().pollEvery(Duration.ofSeconds(Math.max(1, interval)));
    if (consoleUrl != null) {
      b.consoleUrl(consoleUrl);
    }
    try (AlertMonitor monitor = b.build()) {
      if (once) {
        monitor.poll(); // one poll; start() would schedule another at once (delivery here is direct)
        return Exit.OK;
      }
      monitor.start();
      err().println("monitoring; stop with Ctrl-C");
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "dlq-monitor-stop"));
      stop.await();
      return Exit.OK;
    }
  }
}
