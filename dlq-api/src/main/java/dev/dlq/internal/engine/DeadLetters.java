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

/** Builds dead letters: bounded stack traces, fingerprints, history, the format's budgets and redaction. */
public final class DeadLetters {
  private static final int MAX_CAUSES = 8;
  private static final int FINGERPRINT_FRAMES = 3;
  private static final int MAX_FRAMES = 64;

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

  /**
   * The message with what varies between alike failures blanked, in one pass: runs of hex digits of
   * 8 or more that contain a digit (ids, hashes, UUID parts) become {@code <hex>}, other digit runs {@code #}.
   */
  static String normalise(String message) {
    if (message == null || message.isEmpty()) {
      return "";
    }
    int n = Math.min(message.length(), 512);
    StringBuilder sb = new StringBuilder(n);
    int i = 0;
    while (i < n) {
      char ch = message.charAt(i);
      if (!isHex(ch)) {
        sb.append(ch);
        i++;
        continue;
      }
      int end = i;
      boolean digit = false;
      while (end < n && isHex(message.charAt(end))) {
        digit |= message.charAt(end) <= '9';
        end++;
      }
      if (end - i >= 8 && digit) {
        sb.append("<hex>");
      } else {
        for (int j = i; j < end; j++) {
          char c = message.charAt(j);
          if (c <= '9') {
            if (j == i || message.charAt(j - 1) > '9') {
              sb.append('#');
            }
          } else {
            sb.append(c);
          }
        }
      }
      i = end;
    }
    return sb.toString();
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
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
      StackTraceElement[] frames = t.getStackTrace();
      for (int i = 0; i < frames.length; i++) {
        if (sb.length() >= budget) {
          return DeadLetterFormat.cut(sb.toString(), budget);
        }
        if (i == MAX_FRAMES) {
          sb.append("\t... ").append(frames.length - i).append(" more\n");
          break;
        }
        // rendered by hand: StackTraceElement.toString() builds a string per frame
        StackTraceElement f = frames[i];
        sb.append("\tat ").append(f.getClassName()).append('.').append(f.getMethodName()).append('(');
        if (f.isNativeMethod()) {
          sb.append("Native Method");
        } else if (f.getFileName() == null) {
          sb.append("Unknown Source");
        } else {
          sb.append(f.getFileName());
          if (f.getLineNumber() >= 0) {
            sb.append(':').append(f.getLineNumber());
          }
        }
        sb.append(")\n");
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return DeadLetterFormat.cut(sb.toString(), budget);
  }
}
