package dev.dlq.internal.engine;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.internal.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Builds dead letters: bounded stack traces, fingerprints, history, the format's budgets and redaction. */
public final class DeadLetters {
  private static final int MAX_CAUSES = 8;
  private static final int FINGERPRINT_FRAMES = 3;
  private static final Pattern UUIDS = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern HEX = Pattern.compile("\\b(?:0x)?[0-9a-fA-F]{8,}\\b");
  private static final Pattern NUMBERS = Pattern.compile("\\d+");

  private DeadLetters() {}

  /**
   * A dead letter for {@code m}.
   *
   * @param error the throwable, or null when nothing was thrown (then {@code errorType} and {@code errorMessage} describe it)
   */
  public static DeadLetter build(Message m, ErrorClass errorClass, Throwable error, String errorType, String errorMessage,
      DeadLetterReason reason, int maxAttempts, List<Attempt> earlier, Attempt current, Instant now, String workerId,
      DeadLetterFormat format) {
    String type = error != null ? error.getClass().getName() : errorType;
    String message = error != null ? String.valueOf(error.getMessage()) : errorMessage;
    String trace = error != null ? stackTrace(error, format.maxStackTraceChars()) : "";
    List<Attempt> history;
    if (earlier.isEmpty()) {
      history = List.of(current);
    } else {
      history = new ArrayList<>(earlier.size() + 1);
      history.addAll(earlier);
      history.add(current);
    }
    Instant first = history.get(0).at();
    DeadLetter dl = new DeadLetter(DeadLetter.idFor(m.source(), m.id()), m, errorClass, type, message, trace,
        m.attempt(), Math.max(maxAttempts, m.attempt()), first, now, now, workerId, reason,
        fingerprint(type, message, error, m.type()), history);
    return format.apply(dl);
  }

  /** Groups alike failures: exception type, message with numbers and ids blanked, top frames, message type. */
  public static String fingerprint(String errorType, String message, Throwable error, String messageType) {
    StringBuilder sb = new StringBuilder(128).append(errorType).append('|').append(normalise(message)).append('|');
    if (error != null) {
      StackTraceElement[] frames = error.getStackTrace();
      for (int i = 0; i < Math.min(FINGERPRINT_FRAMES, frames.length); i++) {
        sb.append(frames[i].getClassName()).append('.').append(frames[i].getMethodName()).append(';');
      }
    }
    return Ids.shortHash(sb.append('|').append(messageType).toString());
  }

  static String normalise(String message) {
    if (message == null || message.isEmpty()) {
      return "";
    }
    String s = message.length() > 512 ? message.substring(0, 512) : message;
    s = UUIDS.matcher(s).replaceAll("<uuid>");
    s = HEX.matcher(s).replaceAll("<hex>");
    return NUMBERS.matcher(s).replaceAll("#");
  }

  /** The stack trace with its causes, written only up to {@code budget} characters. */
  public static String stackTrace(Throwable error, int budget) {
    StringBuilder sb = new StringBuilder(Math.min(budget, 4096));
    int depth = 0;
    for (Throwable t = error; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
      if (depth > 0) {
        sb.append("Caused by: ");
      }
      sb.append(t).append('\n');
      for (StackTraceElement f : t.getStackTrace()) {
        if (sb.length() >= budget) {
          return DeadLetterFormat.cut(sb.toString(), budget);
        }
        sb.append("\tat ").append(f).append('\n');
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return DeadLetterFormat.cut(sb.toString(), budget);
  }
}
