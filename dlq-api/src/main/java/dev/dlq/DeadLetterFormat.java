package dev.dlq;

import static dev.dlq.spi.Checks.atLeast;
import static dev.dlq.spi.Checks.notNull;

import dev.dlq.internal.json.Redactor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The size budget and redaction rules applied to every dead letter when it is written (not only
 * when shown): stack traces, error messages and headers are cut to their budget, named headers and
 * named JSON payload fields are replaced by {@value #REDACTED}.
 *
 * <p>Redacting payload fields changes the stored payload, so a redacted dead letter replays the
 * redacted bytes; leave {@code redactPayloadFields} empty to keep payloads byte-exact (the default).
 * Immutable and thread-safe.
 *
 * @param maxStackTraceChars budget for the stack trace text (cause chain included)
 * @param maxErrorMessageChars budget for the error message
 * @param maxHeaderChars budget for all header names and values together
 * @param redactHeaders header names (case-insensitive) whose values are redacted
 * @param redactPayloadFields JSON field names redacted at any depth of a JSON payload
 */
public record DeadLetterFormat(int maxStackTraceChars, int maxErrorMessageChars, int maxHeaderChars,
    Set<String> redactHeaders, Set<String> redactPayloadFields) {

  /** What replaces a redacted value. */
  public static final String REDACTED = "[REDACTED]";
  /** Marks text cut to its budget. */
  public static final String TRUNCATED = "…[truncated]";

  private static final DeadLetterFormat DEFAULTS = new DeadLetterFormat(16_384, 4_096, 16_384, Set.of(), Set.of());

  /**
   * Checks the budgets, lower-cases the header names and copies the sets.
   *
   * @param maxStackTraceChars budget for the stack trace text, at least 0
   * @param maxErrorMessageChars budget for the error message, at least 0
   * @param maxHeaderChars budget for all header names and values together, at least 0
   * @param redactHeaders header names whose values are redacted, copied
   * @param redactPayloadFields JSON field names redacted at any depth, copied
   * @throws IllegalArgumentException when a budget is negative or a set is null
   * @throws NullPointerException when a set holds a null
   */
  public DeadLetterFormat {
    atLeast(maxStackTraceChars, 0, "maxStackTraceChars");
    atLeast(maxErrorMessageChars, 0, "maxErrorMessageChars");
    atLeast(maxHeaderChars, 0, "maxHeaderChars");
    TreeSet<String> lower = new TreeSet<>();
    notNull(redactHeaders, "redactHeaders").forEach(h -> lower.add(h.toLowerCase(Locale.ROOT)));
    redactHeaders = Set.copyOf(lower);
    redactPayloadFields = Set.copyOf(notNull(redactPayloadFields, "redactPayloadFields"));
  }

  /**
   * 16 KiB of stack trace, 4 KiB of error message, 16 KiB of headers, no redaction.
   *
   * @return the default format
   */
  public static DeadLetterFormat defaults() {
    return DEFAULTS;
  }

  /**
   * This format with {@code names} as the redacted headers, in place of those set before.
   *
   * @param names header names, case-insensitive
   * @return a new format
   * @throws IllegalArgumentException when {@code names} is null
   * @throws NullPointerException when {@code names} holds a null
   */
  public DeadLetterFormat withRedactedHeaders(Set<String> names) {
    return new DeadLetterFormat(maxStackTraceChars, maxErrorMessageChars, maxHeaderChars, names, redactPayloadFields);
  }

  /**
   * This format with {@code names} as the redacted JSON payload fields, in place of those set before.
   *
   * @param names JSON field names
   * @return a new format
   * @throws IllegalArgumentException when {@code names} is null
   * @throws NullPointerException when {@code names} holds a null
   */
  public DeadLetterFormat withRedactedPayloadFields(Set<String> names) {
    return new DeadLetterFormat(maxStackTraceChars, maxErrorMessageChars, maxHeaderChars, redactHeaders, names);
  }

  /**
   * This format with other size budgets.
   *
   * @param stackTraceChars budget for the stack trace text, at least 0
   * @param errorMessageChars budget for the error message, at least 0
   * @param headerChars budget for all header names and values together, at least 0
   * @return a new format
   * @throws IllegalArgumentException when a budget is negative
   */
  public DeadLetterFormat withBudgets(int stackTraceChars, int errorMessageChars, int headerChars) {
    return new DeadLetterFormat(stackTraceChars, errorMessageChars, headerChars, redactHeaders, redactPayloadFields);
  }

  /**
   * {@code text} cut to {@code budget} characters, marked when cut. A budget no longer than the
   * {@value #TRUNCATED} mark cuts without it.
   *
   * @param text the text
   * @param budget the most characters kept, at least 0
   * @return {@code text} itself when it fits, else its cut start
   */
  public static String cut(String text, int budget) {
    if (text.length() <= budget) {
      return text;
    }
    if (budget <= TRUNCATED.length()) {
      return text.substring(0, budget);
    }
    return text.substring(0, budget - TRUNCATED.length()) + TRUNCATED;
  }

  /**
   * Headers with redaction applied, then cut to the budget (headers past it are dropped, in name order).
   * When headers are dropped, a header {@code dlq-headers-truncated: true} is added.
   *
   * @param headers the headers
   * @return {@code headers} itself when nothing changes, else a new map
   */
  public Map<String, String> applyToHeaders(Map<String, String> headers) {
    if (headers.isEmpty()) {
      return headers;
    }
    boolean redact = !redactHeaders.isEmpty();
    int total = 0;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      total += e.getKey().length() + e.getValue().length();
    }
    if (!redact && total <= maxHeaderChars) {
      return headers;
    }
    Map<String, String> out = new LinkedHashMap<>();
    int used = 0;
    for (String name : new TreeSet<>(headers.keySet())) {
      String value = redact && redactHeaders.contains(name.toLowerCase(Locale.ROOT)) ? REDACTED : headers.get(name);
      int size = name.length() + value.length();
      if (used + size > maxHeaderChars) {
        out.put("dlq-headers-truncated", "true");
        break;
      }
      out.put(name, value);
      used += size;
    }
    return out;
  }

  /**
   * The payload with named JSON fields redacted; unchanged when none are named or it is not a JSON object or array.
   *
   * @param payload the payload
   * @return {@code payload} itself when no field is named, else the redacted bytes
   */
  public byte[] applyToPayload(byte[] payload) {
    if (redactPayloadFields.isEmpty()) {
      return payload;
    }
    return Redactor.redactJsonFields(payload, redactPayloadFields, REDACTED);
  }

  /**
   * {@code dl} within budget and redacted.
   *
   * @param dl the dead letter
   * @return {@code dl} itself when nothing changes, else a new dead letter
   */
  public DeadLetter apply(DeadLetter dl) {
    Message m = dl.message();
    Map<String, String> headers = applyToHeaders(m.headers());
    boolean redactPayload = !redactPayloadFields.isEmpty();
    String msg = cut(dl.errorMessage(), maxErrorMessageChars);
    String trace = cut(dl.stackTrace(), maxStackTraceChars);
    boolean sameMessage = headers == m.headers() && !redactPayload;
    if (sameMessage && msg == dl.errorMessage() && trace == dl.stackTrace()) {
      return dl;
    }
    // the payload is copied only when it may change or the message must be rebuilt anyway
    Message m2 = sameMessage ? m : new Message(m.id(), m.type(),
        redactPayload ? applyToPayload(m.payload()) : m.payload(), headers, m.source(), m.attempt(), m.firstSeen());
    return new DeadLetter(dl.id(), m2, dl.errorClass(), dl.errorType(), msg, trace, dl.attempts(), dl.maxAttempts(),
        dl.firstFailureAt(), dl.lastFailureAt(), dl.deadAt(), dl.workerId(), dl.reason(), dl.fingerprint(), dl.history());
  }
}
