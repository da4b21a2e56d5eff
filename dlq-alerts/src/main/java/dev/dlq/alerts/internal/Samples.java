package dev.dlq.alerts.internal;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.spi.Alert;
import java.nio.charset.StandardCharsets;

/** A dead letter as an alert's sample: redacted and cut by the store's format, payload as a short preview. */
public final class Samples {
  static final int PREVIEW_CHARS = 500;
  static final int MESSAGE_CHARS = 1000;

  private Samples() {}

  public static Alert.Sample of(DeadLetter raw, DeadLetterFormat format) {
    DeadLetter dl = format.apply(raw);
    String payload = new String(dl.message().payload(), StandardCharsets.UTF_8);
    return new Alert.Sample(dl.id(), dl.message().type(), dl.message().source().destination(), dl.errorClass().name(),
        dl.errorType(), clean(DeadLetterFormat.cut(dl.errorMessage(), MESSAGE_CHARS)), dl.message().headers(),
        clean(DeadLetterFormat.cut(payload, PREVIEW_CHARS)), dl.fingerprint(), dl.deadAt());
  }

  /** Control characters (other than newline and tab) shown as U+FFFD: alert text ends up in terminals and mail. */
  static String clean(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean bad = Character.isISOControl(c) && c != '\n' && c != '\t';
      if (bad && sb == null) {
        sb = new StringBuilder(s.substring(0, i));
      }
      if (sb != null) {
        sb.append(bad ? '\uFFFD' : c);
      }
    }
    return sb == null ? s : sb.toString();
  }
}
