package dev.dlq.alerts;

import dev.dlq.spi.Alert;
import dev.dlq.spi.Checks;
import dev.dlq.spi.Notifier;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in notifiers. E-mail is in the optional module dlq-alerts-mail ({@code MailNotifier});
 * user notifications (a table the application shows its users) are {@link UserNotifications}.
 */
public final class Notifiers {
  private static final Logger log = LoggerFactory.getLogger("dev.dlq.alerts");

  private Notifiers() {}

  /**
   * Logs each alert on logger {@code dev.dlq.alerts}: CRITICAL at ERROR, WARNING at WARN, INFO at
   * INFO, one line with the title and counts, then the sample and where to act. Never fails.
   *
   * @return the log notifier
   */
  public static Notifier log() {
    return alert -> {
      Checks.notNull(alert, "alert");
      String text = AlertText.line(alert) + "\n" + AlertText.body(alert);
      if (alert.severity() == Alert.Severity.CRITICAL) {
        log.error("{}", text);
      } else if (alert.severity() == Alert.Severity.WARNING) {
        log.warn("{}", text);
      } else {
        log.info("{}", text);
      }
    };
  }

  /**
   * A signed JSON webhook with a 10 s timeout; see {@link WebhookNotifier} for the signature and
   * {@link WebhookNotifier#builder} for the options.
   *
   * @param uri where to POST
   * @param secret the shared secret, at least 16 characters
   * @return the notifier
   */
  public static Notifier webhook(URI uri, String secret) {
    return WebhookNotifier.builder(uri, secret).build();
  }

  /**
   * A Slack-compatible incoming webhook with a 10 s timeout; see {@link SlackNotifier}.
   *
   * @param uri the incoming-webhook URL (it is the secret: keep it out of logs and source control)
   * @return the notifier
   */
  public static Notifier slack(URI uri) {
    return new SlackNotifier(uri, Duration.ofSeconds(10));
  }
}
