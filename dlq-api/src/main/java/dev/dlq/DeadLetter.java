package dev.dlq;

import static dev.dlq.spi.Checks.atLeast;
import static dev.dlq.spi.Checks.notBlank;
import static dev.dlq.spi.Checks.notNull;

import dev.dlq.internal.Ids;
import dev.dlq.internal.engine.DeadLetters;
import java.time.Instant;
import java.util.List;

/**
 * A message that gave up, with everything needed to understand and replay it: the original message
 * untouched, the last error (class, type, message, bounded stack trace with its cause chain), the
 * attempt budget, times, the worker, the reason, a failure fingerprint and the history of attempts.
 *
 * <p>Its {@link #id()} is derived from the message's source and id ({@link #idFor}), so that
 * dead-lettering one message twice yields one dead letter, and a replayed message that dies again
 * reopens the same record. Immutable and thread-safe.
 *
 * @param id derived from source and message id
 * @param message the original message, byte-exact
 * @param errorClass the last failure's class
 * @param errorType the last failure's exception class name (or "rejected", "lease-expired")
 * @param errorMessage the last failure's message, bounded
 * @param stackTrace the last failure's stack trace with causes, bounded; empty when nothing was thrown
 * @param attempts how many attempts were made
 * @param maxAttempts how many the policy allowed
 * @param firstFailureAt the first failure's time
 * @param lastFailureAt the last failure's time
 * @param deadAt when it was dead-lettered
 * @param workerId the worker that dead-lettered it
 * @param reason why it was dead-lettered
 * @param fingerprint groups alike failures: exception type, normalised message, top frames, message type
 * @param history the failed attempts that are known, oldest first
 */
public record DeadLetter(
    String id,
    Message message,
    ErrorClass errorClass,
    String errorType,
    String errorMessage,
    String stackTrace,
    int attempts,
    int maxAttempts,
    Instant firstFailureAt,
    Instant lastFailureAt,
    Instant deadAt,
    String workerId,
    DeadLetterReason reason,
    String fingerprint,
    List<Attempt> history) {

  /**
   * Checks the arguments and copies {@code history}.
   *
   * @param id derived from source and message id, not blank
   * @param message the original message
   * @param errorClass the last failure's class
   * @param errorType the last failure's exception class name, or a label
   * @param errorMessage the last failure's message, may be empty
   * @param stackTrace the last failure's stack trace, may be empty
   * @param attempts how many attempts were made, at least 1
   * @param maxAttempts how many the policy allowed, at least 1
   * @param firstFailureAt the first failure's time
   * @param lastFailureAt the last failure's time
   * @param deadAt when it was dead-lettered
   * @param workerId the worker that dead-lettered it, may be empty
   * @param reason why it was dead-lettered
   * @param fingerprint groups alike failures, may be empty
   * @param history the failed attempts that are known, oldest first
   * @throws IllegalArgumentException when an argument is null, {@code id} is blank, or a count is
   *     below 1
   */
  public DeadLetter {
    notBlank(id, "id");
    notNull(message, "message");
    notNull(errorClass, "errorClass");
    notNull(errorType, "errorType");
    notNull(errorMessage, "errorMessage");
    notNull(stackTrace, "stackTrace");
    atLeast(attempts, 1, "attempts");
    atLeast(maxAttempts, 1, "maxAttempts");
    notNull(firstFailureAt, "firstFailureAt");
    notNull(lastFailureAt, "lastFailureAt");
    notNull(deadAt, "deadAt");
    notNull(workerId, "workerId");
    notNull(reason, "reason");
    notNull(fingerprint, "fingerprint");
    history = List.copyOf(notNull(history, "history"));
  }

  /**
   * The dead-letter id of message {@code messageId} from {@code source}: a name-based UUID.
   *
   * @param source the message's source
   * @param messageId the message's id in that source
   * @return the same id for the same source and message id, every time
   * @throws IllegalArgumentException when {@code source} is null or {@code messageId} is null or blank
   */
  public static String idFor(SourceRef source, String messageId) {
    notNull(source, "source");
    notBlank(messageId, "messageId");
    return Ids.deadLetterId(source.backend(), source.destination(), messageId);
  }

  /**
   * The failure-group fingerprint workers give a failure: a hash of the error type, the message with
   * numbers, hex and UUIDs blanked, the top three frames of {@code error} (if any) and the message type.
   *
   * @param errorType the exception class name, or a label
   * @param errorMessage the error message; null counts as empty
   * @param error the throwable whose top frames count, or null
   * @param messageType the message's type
   * @return a short hash, equal for alike failures
   * @throws IllegalArgumentException when {@code errorType} or {@code messageType} is null
   */
  public static String fingerprintOf(String errorType, String errorMessage, Throwable error, String messageType) {
    return DeadLetters.fingerprint(notNull(errorType, "errorType"), errorMessage, error, notNull(messageType, "messageType"));
  }

  /**
   * A builder for dead letters made outside a worker (lease reapers, advisories, imports); the
   * {@link #id()} defaults to {@link #idFor} of the message and the fingerprint to {@link #fingerprintOf}.
   *
   * @param message the message that gave up
   * @return a new builder
   * @throws IllegalArgumentException when {@code message} is null
   */
  public static Builder builder(Message message) {
    return new Builder(message);
  }

  /**
   * Builds a {@link DeadLetter}; times default to now, counts to the message's attempt. The setters
   * do not check their values; {@link #build()} does. Mutable and not thread-safe.
   */
  public static final class Builder {
    private final Message message;
    private String id;
    private ErrorClass errorClass = ErrorClass.UNKNOWN;
    private String errorType = "";
    private String errorMessage = "";
    private String stackTrace = "";
    private int attempts;
    private int maxAttempts;
    private Instant firstFailureAt;
    private Instant lastFailureAt;
    private Instant deadAt;
    private String workerId = "";
    private DeadLetterReason reason = DeadLetterReason.EXHAUSTED;
    private String fingerprint = "";
    private List<Attempt> history = List.of();
    private Throwable error;

    private Builder(Message message) {
      this.message = notNull(message, "message");
      this.attempts = message.attempt();
      this.maxAttempts = message.attempt();
    }

    /**
     * The dead letter's id; default {@link DeadLetter#idFor} of the message's source and id.
     *
     * @param id the id; null restores the default
     * @return this builder
     */
    public Builder id(String id) { this.id = id; return this; }
    /**
     * The last failure's class; default {@link ErrorClass#UNKNOWN}.
     *
     * @param v the class
     * @return this builder
     */
    public Builder errorClass(ErrorClass v) { this.errorClass = v; return this; }
    /**
     * The last failure's exception class name, or a label; default empty.
     *
     * @param v the type
     * @return this builder
     */
    public Builder errorType(String v) { this.errorType = v; return this; }
    /**
     * The last failure's message; default empty.
     *
     * @param v the message
     * @return this builder
     */
    public Builder errorMessage(String v) { this.errorMessage = v; return this; }
    /**
     * The last failure's stack trace; default empty.
     *
     * @param v the stack trace
     * @return this builder
     */
    public Builder stackTrace(String v) { this.stackTrace = v; return this; }
    /**
     * How many attempts were made; default the message's {@link Message#attempt()}.
     *
     * @param v the count, at least 1 when built
     * @return this builder
     */
    public Builder attempts(int v) { this.attempts = v; return this; }
    /**
     * How many attempts the policy allowed; default the message's {@link Message#attempt()}. A value
     * below 1 is built as 1.
     *
     * @param v the count
     * @return this builder
     */
    public Builder maxAttempts(int v) { this.maxAttempts = v; return this; }
    /**
     * The first failure's time; default the last failure's time.
     *
     * @param v the time; null restores the default
     * @return this builder
     */
    public Builder firstFailureAt(Instant v) { this.firstFailureAt = v; return this; }
    /**
     * The last failure's time; default the dead-letter time.
     *
     * @param v the time; null restores the default
     * @return this builder
     */
    public Builder lastFailureAt(Instant v) { this.lastFailureAt = v; return this; }
    /**
     * When the message was dead-lettered; default the time of {@link #build()}.
     *
     * @param v the time; null restores the default
     * @return this builder
     */
    public Builder deadAt(Instant v) { this.deadAt = v; return this; }
    /**
     * The worker, or process, that dead-lettered the message; default empty.
     *
     * @param v the id
     * @return this builder
     */
    public Builder workerId(String v) { this.workerId = v; return this; }
    /**
     * Why the message was dead-lettered; default {@link DeadLetterReason#EXHAUSTED}.
     *
     * @param v the reason
     * @return this builder
     */
    public Builder reason(DeadLetterReason v) { this.reason = v; return this; }
    /**
     * Default: computed from error type, normalised message, top frames and message type, as workers do.
     *
     * @param v the fingerprint; null or empty restores the default
     * @return this builder
     */
    public Builder fingerprint(String v) { this.fingerprint = v; return this; }

    /**
     * Describes the failure from {@code error}: its class name, message, stack trace (cause chain
     * kept, cut to the default budget) and the frames the fingerprint uses.
     *
     * @param error the throwable
     * @return this builder
     * @throws IllegalArgumentException when {@code error} is null
     */
    public Builder error(Throwable error) {
      this.error = notNull(error, "error");
      this.errorType = error.getClass().getName();
      this.errorMessage = String.valueOf(error.getMessage());
      this.stackTrace = DeadLetters.stackTrace(error, DeadLetterFormat.defaults().maxStackTraceChars());
      return this;
    }
    /**
     * The failed attempts that are known, oldest first; default none.
     *
     * @param v the attempts, copied when built
     * @return this builder
     */
    public Builder history(List<Attempt> v) { this.history = v; return this; }

    /**
     * Builds the dead letter, filling in the defaults.
     *
     * @return the dead letter
     * @throws IllegalArgumentException when a value set is null (other than those documented as
     *     restoring a default), the id is blank, or {@code attempts} is below 1
     */
    public DeadLetter build() {
      Instant now = deadAt != null ? deadAt : Instant.now();
      Instant last = lastFailureAt != null ? lastFailureAt : now;
      Instant first = firstFailureAt != null ? firstFailureAt : last;
      String fp = fingerprint != null && !fingerprint.isEmpty() ? fingerprint
          : DeadLetters.fingerprint(errorType, errorMessage, error, message.type());
      return new DeadLetter(id != null ? id : idFor(message.source(), message.id()), message, errorClass, errorType,
          errorMessage, stackTrace, attempts, Math.max(maxAttempts, 1), first, last, now, workerId, reason, fp,
          history);
    }
  }
}
