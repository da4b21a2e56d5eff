package dev.dlq;

import java.time.Instant;
import java.util.Optional;

/**
 * Which dead letters an operation applies to; every criterion is optional and they combine with AND.
 * Immutable; build with {@link #builder()} or start from {@link #all()}.
 *
 * @param type message type
 * @param errorClass the error class
 * @param errorType the exception class name
 * @param status workflow status
 * @param source the source destination (queue, URL, subject)
 * @param fingerprint the failure group
 * @param reason why it died
 * @param deadFrom dead at or after
 * @param deadBefore dead strictly before
 */
public record DeadLetterFilter(Optional<String> type, Optional<ErrorClass> errorClass, Optional<String> errorType,
    Optional<DeadLetterStatus> status, Optional<String> source, Optional<String> fingerprint,
    Optional<DeadLetterReason> reason, Optional<Instant> deadFrom, Optional<Instant> deadBefore) {

  private static final DeadLetterFilter ALL = builder().build();

  public DeadLetterFilter {
    java.util.Objects.requireNonNull(type, "type must not be null");
    java.util.Objects.requireNonNull(errorClass, "errorClass must not be null");
    java.util.Objects.requireNonNull(errorType, "errorType must not be null");
    java.util.Objects.requireNonNull(status, "status must not be null");
    java.util.Objects.requireNonNull(source, "source must not be null");
    java.util.Objects.requireNonNull(fingerprint, "fingerprint must not be null");
    java.util.Objects.requireNonNull(reason, "reason must not be null");
    java.util.Objects.requireNonNull(deadFrom, "deadFrom must not be null");
    java.util.Objects.requireNonNull(deadBefore, "deadBefore must not be null");
    if (deadFrom.isPresent() && deadBefore.isPresent() && !deadFrom.get().isBefore(deadBefore.get())) {
      throw new IllegalArgumentException("deadFrom must be before deadBefore (" + deadBefore.get() + ") but was "
          + deadFrom.get());
    }
  }

  /** Matches every dead letter. */
  public static DeadLetterFilter all() {
    return ALL;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code d} matches (used by in-memory and stream stores). */
  public boolean matches(StoredDeadLetter d) {
    DeadLetter dl = d.deadLetter();
    return type.map(v -> v.equals(dl.message().type())).orElse(true)
        && errorClass.map(v -> v == dl.errorClass()).orElse(true)
        && errorType.map(v -> v.equals(dl.errorType())).orElse(true)
        && status.map(v -> v == d.status()).orElse(true)
        && source.map(v -> v.equals(dl.message().source().destination())).orElse(true)
        && fingerprint.map(v -> v.equals(dl.fingerprint())).orElse(true)
        && reason.map(v -> v == dl.reason()).orElse(true)
        && deadFrom.map(v -> !dl.deadAt().isBefore(v)).orElse(true)
        && deadBefore.map(v -> dl.deadAt().isBefore(v)).orElse(true);
  }

  /** Builds a filter. Not thread-safe. */
  public static final class Builder {
    private String type;
    private ErrorClass errorClass;
    private String errorType;
    private DeadLetterStatus status;
    private String source;
    private String fingerprint;
    private DeadLetterReason reason;
    private Instant deadFrom;
    private Instant deadBefore;

    public Builder type(String v) { this.type = v; return this; }
    public Builder errorClass(ErrorClass v) { this.errorClass = v; return this; }
    public Builder errorType(String v) { this.errorType = v; return this; }
    public Builder status(DeadLetterStatus v) { this.status = v; return this; }
    public Builder source(String v) { this.source = v; return this; }
    public Builder fingerprint(String v) { this.fingerprint = v; return this; }
    public Builder reason(DeadLetterReason v) { this.reason = v; return this; }
    public Builder deadFrom(Instant v) { this.deadFrom = v; return this; }
    public Builder deadBefore(Instant v) { this.deadBefore = v; return this; }

    public DeadLetterFilter build() {
      return new DeadLetterFilter(Optional.ofNullable(type), Optional.ofNullable(errorClass),
          Optional.ofNullable(errorType), Optional.ofNullable(status), Optional.ofNullable(source),
          Optional.ofNullable(fingerprint), Optional.ofNullable(reason), Optional.ofNullable(deadFrom),
          Optional.ofNullable(deadBefore));
    }
  }
}
