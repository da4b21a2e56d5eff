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
 * @param payloadFields JSON payload fields that must hold these values (all of them)
 * @param payloadContains text the payload must contain (its UTF-8 bytes, case-sensitive)
 */
public record DeadLetterFilter(Optional<String> type, Optional<ErrorClass> errorClass, Optional<String> errorType,
    Optional<DeadLetterStatus> status, Optional<String> source, Optional<String> fingerprint,
    Optional<DeadLetterReason> reason, Optional<Instant> deadFrom, Optional<Instant> deadBefore,
    java.util.List<PayloadField> payloadFields, Optional<String> payloadContains) {

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
   * @param payloadFields JSON payload fields that must hold these values, copied; at most 20
   * @param payloadContains text the payload must contain, not empty
   * @throws NullPointerException when an argument is null (use {@link Optional#empty()})
   * @throws IllegalArgumentException when {@code deadFrom} is not before {@code deadBefore}, there are
   *     more than 20 payload fields, or {@code payloadContains} is empty or longer than 1000 characters
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
    payloadFields = java.util.List.copyOf(java.util.Objects.requireNonNull(payloadFields, "payloadFields must not be null"));
    java.util.Objects.requireNonNull(payloadContains, "payloadContains must not be null");
    if (payloadFields.size() > 20) {
      throw new IllegalArgumentException("payloadFields must hold at most 20 criteria but held " + payloadFields.size());
    }
    if (payloadContains.isPresent() && (payloadContains.get().isEmpty() || payloadContains.get().length() > 1000)) {
      throw new IllegalArgumentException("payloadContains must be 1 to 1000 characters but had "
          + payloadContains.get().length());
    }
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
        && deadBefore.map(v -> dl.deadAt().isBefore(v)).orElse(true)
        && payloadMatches(dl.message());
  }

  private boolean payloadMatches(Message m) {
    if (payloadFields.isEmpty() && payloadContains.isEmpty()) {
      return true;
    }
    byte[] payload = m.payload();
    if (payloadContains.isPresent()
        && !dev.dlq.internal.json.PayloadJson.contains(payload, payloadContains.get())) {
      return false;
    }
    return payloadFields.stream().allMatch(f -> f.matches(payload));
  }

  /**
   * This filter with {@code status} in place of its own.
   *
   * @param status the status to match
   * @return a copy with that status criterion
   */
  public DeadLetterFilter withStatus(DeadLetterStatus status) {
    return new DeadLetterFilter(type, errorClass, errorType, Optional.of(status), source, fingerprint, reason, deadFrom,
        deadBefore, payloadFields, payloadContains);
  }

  /**
   * Whether the filter reads payloads (a payload field or substring is set).
   *
   * @return true when a payload criterion is set
   */
  public boolean searchesPayload() {
    return !payloadFields.isEmpty() || payloadContains.isPresent();
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
    private final java.util.List<PayloadField> payloadFields = new java.util.ArrayList<>();
    private String payloadContains;

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
     * Only dead letters whose JSON payload holds {@code value} at {@code dottedPath}; repeatable, all
     * must hold ({@link PayloadField}).
     *
     * @param dottedPath object keys separated by dots, such as {@code customer.id}
     * @param value the value, such as {@code 42}
     * @return this builder
     * @throws IllegalArgumentException when the path is malformed
     */
    public Builder payloadField(String dottedPath, String value) {
      payloadFields.add(PayloadField.of(dottedPath, value));
      return this;
    }
    /**
     * Only dead letters whose payload contains {@code text} (its UTF-8 bytes, case-sensitive).
     *
     * @param text the text; null removes the criterion
     * @return this builder
     */
    public Builder payloadContains(String text) { this.payloadContains = text; return this; }

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
          Optional.ofNullable(deadBefore), payloadFields, Optional.ofNullable(payloadContains));
    }
  }
}
