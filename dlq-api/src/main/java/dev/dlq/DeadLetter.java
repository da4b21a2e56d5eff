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

  /** The dead-letter id of message {@code messageId} from {@code source}: a name-based UUID. */
  public static String idFor(SourceRef source, String messageId) {
    notNull(source, "source");
    notBlank(messageId, "messageId");
    return Ids.deadLetterId(source.backend(), source.destination(), messageId);
  }

  /**
   * The failure-group fingerprint workers give a failure: a hash of the error type, the message with
   * numbers, hex and UUIDs blanked, the top three frames of {@code error} (if any) and the message type.
   */
  public static String fingerprintOf(String errorType, String errorMessage, Throwable error, String messageType) {
    return DeadLetters.fingerprint(notNull(errorType, "errorType"), errorMessage, error, notNull(messageType, "messageType"));
  }

  /**
   * A builder for dead letters made outside a worker (lease reapers, advisories, imports); the
   * {@link #id()} defaults to {@link #idFor} of the message and the fingerprint to {@link #fingerprintOf}.
   */
  public static Builder builder(Message message) {
    return new Builder(message);
  }

  /** Builds a {@link DeadLetter}; times default to now, counts to the message's attempt. Not thread-safe. */
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

    public Builder id(String id) { this.id = id; return this; }
    public Builder errorClass(ErrorClass v) { this.errorClass = v; return this; }
    public Builder errorType(String v) { this.errorType = v; return this; }
    public Builder errorMessage(String v) { this.errorMessage = v; return this; }
    public Builder stackTrace(String v) { this.stackTrace = v; return this; }
    public Builder attempts(int v) { this.attempts = v; return this; }
    public Builder maxAttempts(int v) { this.maxAttempts = v; return this; }
    public Builder firstFailureAt(Instant v) { this.firstFailureAt = v; return this; }
    public Builder lastFailureAt(Instant v) { this.lastFailureAt = v; return this; }
    public Builder deadAt(Instant v) { this.deadAt = v; return this; }
    public Builder workerId(String v) { this.workerId = v; return this; }
    public Builder reason(DeadLetterReason v) { this.reason = v; return this; }
    /** Default: computed from error type, normalised message, top frames and message type, as workers do. */
    public Builder fingerprint(String v) { this.fingerprint = v; return this; }

    /**
     * Describes the failure from {@code error}: its class name, message, stack trace (cause chain
     * kept, cut to the default budget) and the frames the fingerprint uses.
     */
    public Builder error(Throwable error) {
      this.error = notNull(error, "error");
      this.errorType = error.getClass().getName();
      this.errorMessage = String.valueOf(error.getMessage());
      this.stackTrace = DeadLetters.stackTrace(error, DeadLetterFormat.defaults().maxStackTraceChars());
      return this;
    }
    public Builder history(List<Attempt> v) { this.history = v; return this; }

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
