package dev.dlq.alerts;

import dev.dlq.alerts.internal.Http;
import dev.dlq.spi.Alert;
import dev.dlq.spi.Checks;
import dev.dlq.spi.Notifier;
import jakarta.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Posts alerts to a Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat): a JSON body
 * {@code {"text": ..., "blocks": [section]}} whose text is the alert as {@link AlertText#body}, with
 * {@code &}, {@code <} and {@code >} escaped as Slack requires, so alert content cannot inject links
 * or mentions. Any answer outside 2xx is a failure. The URL is the secret: it is never logged.
 * Thread-safe.
 */
public final class SlackNotifier implements Notifier {
  private final URI uri;
  private final Http http;

  SlackNotifier(URI uri, Duration timeout) {
    this.uri = WebhookNotifier.httpUri(uri, "uri");
    this.http = new Http(Checks.between(timeout, Duration.ofMillis(100), Duration.ofMinutes(5), "timeout"));
  }

  @Override
  public void send(Alert alert) {
    Checks.notNull(alert, "alert");
    http.post(uri, payload(alert).getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /**
   * The JSON body posted for {@code alert}.
   *
   * @param alert the alert
   * @return the incoming-webhook payload
   */
  public static String payload(Alert alert) {
    String icon = alert.severity() == Alert.Severity.CRITICAL ? ":rotating_light: "
        : alert.severity() == Alert.Severity.WARNING ? ":warning: " : "";
    String text = icon + escape(AlertText.body(alert));
    String head = icon + "*" + escape(alert.title()) + "*";
    return Json.createObjectBuilder().add("text", text)
        .add("blocks", Json.createArrayBuilder()
            .add(Json.createObjectBuilder().add("type", "section")
                .add("text", Json.createObjectBuilder().add("type", "mrkdwn").add("text", cut(head + "\n```"
                    + escape(AlertText.body(alert)) + "```", 2900)))))
        .build().toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 4) + "…```";
  }

  @Override
  public String toString() {
    return "SlackNotifier[" + Http.redacted(uri) + "]";
  }
}
