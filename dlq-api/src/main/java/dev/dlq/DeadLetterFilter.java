package dev.dlq;

import java.time.Instant;
import java.util.Optional;

/**
 * Which dead letters an operation applies to; every criterion is optional and they combine with AND.
 * Immutable and thread-safe; build with {@link #builder()} or start from {@link #all()}.
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

  /**
   * Checks the arguments.
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
   * @throws NullPointerException when an argument is null (use {@link Optional#empty()})
   * @throws IllegalArgumentException when {@code deadFrom} is not before {@code deadBefore}
   */
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

  /**
   * Matches every dead letter.
   *
   * @return the filter with no criterion
   */
  public static DeadLetterFilter all() {
    return ALL;
  }

  /**
   * A builder with no criterion set.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether {@code d} matches (used by in-memory and stream stores).
   *
   * @param d a stored dead letter
   * @return true when it meets every criterion that is set
   */
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

  /** Builds a filter; a criterion left unset or set to null matches everything. Mutable and not thread-safe. */
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

    /**
     * Only dead letters whose message has this type.
     *
     * @param v the message type; null removes the criterion
     * @return this builder
     */
    public Builder type(String v) { this.type = v; return this; }
    /**
     * Only dead letters whose last failure has this class.
     *
     * @param v the error class; null removes the criterion
     * @return this builder
     */
    public Builder errorClass(ErrorClass v) { this.errorClass = v; return this; }
    /**
     * Only dead letters whose last failure has this exception class name (or label).
     *
     * @param v the exception class name; null removes the criterion
     * @return this builder
     */
    public Builder errorType(String v) { this.errorType = v; return this; }
    /**
     * Only dead letters in this workflow status.
     *
     * @param v the status; null removes the criterion
     * @return this builder
     */
    public Builder status(DeadLetterStatus v) { this.status = v; return this; }
    /**
     * Only dead letters whose message came from this destination (queue, URL, subject).
     *
     * @param v the destination; null removes the criterion
     * @return this builder
     */
    public Builder source(String v) { this.source = v; return this; }
    /**
     * Only dead letters in this failure group.
     *
     * @param v the fingerprint; null removes the criterion
     * @return this builder
     */
    public Builder fingerprint(String v) { this.fingerprint = v; return this; }
    /**
     * Only dead letters that died for this reason.
     *
     * @param v the reason; null removes the criterion
     * @return this builder
     */
    public Builder reason(DeadLetterReason v) { this.reason = v; return this; }
    /**
     * Only dead letters dead at or after this time.
     *
     * @param v the earliest time, inclusive; null removes the criterion
     * @return this builder
     */
    public Builder deadFrom(Instant v) { this.deadFrom = v; return this; }
    /**
     * Only dead letters dead strictly before this time.
     *
     * @param v the latest time, exclusive; null removes the criterion
     * @return this builder
     */
    public Builder deadBefore(Instant v) { this.deadBefore = v; return this; }

    /**
     * Builds the filter.
     *
     * @return the filter
     * @throws IllegalArgumentException when both times are set and {@code deadFrom} is not before
     *     {@code deadBefore}
     */
    public DeadLetterFilter build() {
      return new DeadLetterFilter(Optional.ofNullable(type), Optional.ofNullable(errorClass),
          Optional.ofNullable(errorType), Optional.ofNullable(status), Optional.ofNullable(source),
          Optional.ofNullable(fingerprint), Optional.ofNullable(reason), Optional.ofNullable(deadFrom),
          Optional.ofNullable(deadBefore));
    }
  }
}
