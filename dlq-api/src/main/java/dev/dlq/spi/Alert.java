package dev.dlq.spi;

import static dev.dlq.spi.Checks.notBlank;
import static dev.dlq.spi.Checks.notNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One alert raised by a rule, as every {@link Notifier} receives it: what happened, how often, one
 * example, and where to act. Immutable and thread-safe.
 *
 * @param id unique per alert; receivers deduplicate on it (a notifier may see an alert twice)
 * @param rule the name of the rule that raised it
 * @param severity how urgent
 * @param group what it is about within its rule: a failure-group fingerprint, a message type, a
 *     worker, or {@code "*"}; throttling and deduplication are per rule and group
 * @param recipient whom it is for when it is for one person (the owner of a USER_ERROR message);
 *     empty for the rule's channels
 * @param title one line
 * @param counts the numbers behind it (e.g. {@code deadLetters}, {@code threshold}, {@code heldBack}),
 *     kept sorted by name
 * @param sample one dead letter it is about, redacted as the store redacts; empty when none applies
 * @param consoleUrl a link to the failure group in the admin console, when a base URL is configured
 * @param replayCommand the CLI command that replays what it is about, when that applies
 * @param at when it was raised
 */
public record Alert(String id, String rule, Severity severity, String group, Optional<String> recipient,
    String title, Map<String, Long> counts, Optional<Sample> sample, Optional<String> consoleUrl,
    Optional<String> replayCommand, Instant at) {

  /**
   * Checks the components and copies {@code counts}, sorted by key.
   *
   * @param id unique per alert; receivers deduplicate on it (a notifier may see an alert twice)
   * @param rule the name of the rule that raised it
   * @param severity how urgent
   * @param group what it is about within its rule: a failure-group fingerprint, a message type, a
   *     worker, or {@code "*"}; throttling and deduplication are per rule and group
   * @param recipient whom it is for when it is for one person (the owner of a USER_ERROR message);
   *     empty for the rule's channels
   * @param title one line
   * @param counts the numbers behind it (e.g. {@code deadLetters}, {@code threshold}, {@code heldBack}),
   *     kept sorted by name
   * @param sample one dead letter it is about, redacted as the store redacts; empty when none applies
   * @param consoleUrl a link to the failure group in the admin console, when a base URL is configured
   * @param replayCommand the CLI command that replays what it is about, when that applies
   * @param at when it was raised
   * @throws IllegalArgumentException when a component is null, or {@code id}, {@code rule}, {@code group} or
   *     {@code title} is blank
   */
  public Alert {
    notBlank(id, "id");
    notBlank(rule, "rule");
    notNull(severity, "severity");
    notBlank(group, "group");
    notNull(recipient, "recipient");
    notBlank(title, "title");
    counts = java.util.Collections.unmodifiableMap(new TreeMap<>(notNull(counts, "counts")));
    notNull(sample, "sample");
    notNull(consoleUrl, "consoleUrl");
    notNull(replayCommand, "replayCommand");
    notNull(at, "at");
  }

  /** How urgent an alert is; chat and log notifiers show it, mail puts it in the subject. */
  public enum Severity {
    /** For the record (a user's own failed job, a digest). */
    INFO,
    /** Someone should look soon. */
    WARNING,
    /** Page someone now. */
    CRITICAL
  }

  /**
   * One dead letter an alert is about, cut and redacted (headers and payload fields as the store's
   * {@link dev.dlq.DeadLetterFormat} redacts; the payload is a preview of at most a few hundred characters).
   *
   * @param deadLetterId the dead letter's id
   * @param messageType the message type
   * @param source the source destination (queue, URL, subject)
   * @param errorClass the error class name
   * @param errorType the exception class name
   * @param errorMessage the error message, cut
   * @param headers the message headers, redacted
   * @param payloadPreview the start of the payload as text, redacted
   * @param fingerprint the failure group
   * @param deadAt when it died
   */
  public record Sample(String deadLetterId, String messageType, String source, String errorClass, String errorType,
      String errorMessage, Map<String, String> headers, String payloadPreview, String fingerprint, Instant deadAt) {
    /**
     * Checks the components and copies {@code headers}, sorted by key.
     *
     * @param deadLetterId the dead letter's id
     * @param messageType the message type
     * @param source the source destination (queue, URL, subject)
     * @param errorClass the error class name
     * @param errorType the exception class name
     * @param errorMessage the error message, cut
     * @param headers the message headers, redacted
     * @param payloadPreview the start of the payload as text, redacted
     * @param fingerprint the failure group
     * @param deadAt when it died
     * @throws IllegalArgumentException when a component is null or {@code deadLetterId} is blank
     */
    public Sample {
      notBlank(deadLetterId, "deadLetterId");
      notNull(messageType, "messageType");
      notNull(source, "source");
      notNull(errorClass, "errorClass");
      notNull(errorType, "errorType");
      notNull(errorMessage, "errorMessage");
      headers = java.util.Collections.unmodifiableMap(new TreeMap<>(notNull(headers, "headers")));
      notNull(payloadPreview, "payloadPreview");
      notNull(fingerprint, "fingerprint");
      notNull(deadAt, "deadAt");
    }
  }
}
