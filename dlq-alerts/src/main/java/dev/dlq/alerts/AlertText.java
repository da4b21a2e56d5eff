package dev.dlq.alerts;

import dev.dlq.spi.Alert;
import dev.dlq.spi.Checks;

/**
 * Plain-text renderings of an alert for people (log lines, chat messages, e-mail bodies): the title,
 * the counts, the sample and where to act. Stateless and thread-safe.
 */
public final class AlertText {
  private AlertText() {}

  /**
   * A one-line summary: {@code [SEVERITY] rule/group: title (counts)}.
   *
   * @param a the alert
   * @return one line
   */
  public static String line(Alert a) {
    Checks.notNull(a, "a");
    return "[" + a.severity() + "] " + a.rule() + "/" + a.group() + ": " + a.title() + " " + a.counts();
  }

  /**
   * Several lines: title, counts, sample, console link, replay command.
   *
   * @param a the alert
   * @return the text, lines separated by {@code \n}
   */
  public static String body(Alert a) {
    Checks.notNull(a, "a");
    StringBuilder sb = new StringBuilder();
    sb.append(a.title()).append('\n');
    sb.append("rule: ").append(a.rule()).append(", group: ").append(a.group()).append(", severity: ")
        .append(a.severity()).append(", at: ").append(a.at()).append('\n');
    a.counts().forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
    a.sample().ifPresent(s -> {
      sb.append("\nsample dead letter ").append(s.deadLetterId()).append(" (").append(s.messageType()).append(" from ")
          .append(s.source()).append(", dead at ").append(s.deadAt()).append(")\n");
      sb.append(s.errorClass()).append(' ').append(s.errorType()).append(": ").append(s.errorMessage()).append('\n');
      if (!s.headers().isEmpty()) {
        sb.append("headers: ").append(s.headers()).append('\n');
      }
      sb.append("payload: ").append(s.payloadPreview()).append('\n');
    });
    a.consoleUrl().ifPresent(u -> sb.append("\nconsole: ").append(u).append('\n'));
    a.replayCommand().ifPresent(c -> sb.append("replay: ").append(c).append('\n'));
    return sb.toString();
  }
}
