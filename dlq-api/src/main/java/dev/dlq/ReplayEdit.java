package dev.dlq;

import static dev.dlq.spi.Checks.notBlank;
import static dev.dlq.spi.Checks.notNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A corrected copy of one PENDING dead letter to replay ({@link ReplayRunner#editAndReplay}): a new
 * payload and/or headers set or removed. The copy is a new message, a lineage child of the dead
 * letter: its id is the original's plus a suffix, and it carries {@link #PARENT_HEADER} and
 * {@link #REPLAY_HEADER}. Header names starting with {@code dlq-} are dlq's own and cannot be edited.
 * Immutable and thread-safe; build with {@link #builder}.
 *
 * @param deadLetterId the dead letter to correct
 * @param payload the new payload, or empty to keep the original's
 * @param setHeaders headers to add or overwrite
 * @param removeHeaders headers to remove
 * @param operator who asks (audited)
 * @param note why, kept in the audit entry; may be empty
 */
public record ReplayEdit(String deadLetterId, Optional<byte[]> payload, Map<String, String> setHeaders,
    Set<String> removeHeaders, String operator, String note) {

  /** The header of the copy naming the dead letter it corrects (its lineage parent). */
  public static final String PARENT_HEADER = "dlq-parent-dead-letter-id";
  /** The header of the copy naming the replay that sent it. */
  public static final String REPLAY_HEADER = "dlq-edit-replay-id";

  /**
   * Checks and copies the components.
   *
   * @param deadLetterId the dead letter to correct, not blank
   * @param payload the new payload, or empty to keep the original's
   * @param setHeaders headers to add or overwrite; names not blank and not starting with {@code dlq-}
   * @param removeHeaders headers to remove; the same rule for names
   * @param operator who asks, not blank
   * @param note why, may be empty
   * @throws IllegalArgumentException when a component is null or blank where it must not be, a header
   *     name is reserved, a header is both set and removed, or nothing would change
   */
  public ReplayEdit {
    notBlank(deadLetterId, "deadLetterId");
    payload = notNull(payload, "payload").map(byte[]::clone);
    setHeaders = Map.copyOf(new LinkedHashMap<>(notNull(setHeaders, "setHeaders")));
    removeHeaders = Set.copyOf(notNull(removeHeaders, "removeHeaders"));
    notBlank(operator, "operator");
    notNull(note, "note");
    setHeaders.keySet().forEach(ReplayEdit::checkName);
    removeHeaders.forEach(ReplayEdit::checkName);
    for (String k : removeHeaders) {
      if (setHeaders.containsKey(k)) {
        throw new IllegalArgumentException("header '" + k + "' is both set and removed");
      }
    }
    if (payload.isEmpty() && setHeaders.isEmpty() && removeHeaders.isEmpty()) {
      throw new IllegalArgumentException("an edit must change the payload or a header (to replay as is, use replay)");
    }
  }

  private static void checkName(String name) {
    notBlank(name, "header name");
    if (name.regionMatches(true, 0, "dlq-", 0, 4)) {
      throw new IllegalArgumentException("header '" + name + "' is dlq's own and cannot be edited");
    }
  }

  /**
   * The new payload, copied.
   *
   * @return a copy of the new payload, or empty to keep the original's
   */
  @Override
  public Optional<byte[]> payload() {
    return payload.map(byte[]::clone);
  }

  /**
   * A builder of an edit of dead letter {@code deadLetterId} by {@code operator}.
   *
   * @param deadLetterId the dead letter to correct
   * @param operator who asks (audited)
   * @return a new builder
   */
  public static Builder builder(String deadLetterId, String operator) {
    return new Builder(deadLetterId, operator);
  }

  @Override
  public String toString() {
    return "ReplayEdit[deadLetterId=" + deadLetterId + ", payload="
        + payload.map(p -> p.length + " bytes").orElse("unchanged") + ", set=" + new TreeSet<>(setHeaders.keySet())
        + ", remove=" + new TreeSet<>(removeHeaders) + ", operator=" + operator + "]";
  }

  /** Builds a {@link ReplayEdit}; {@link #build()} checks it. Mutable, not thread-safe. */
  public static final class Builder {
    private final String deadLetterId;
    private final String operator;
    private byte[] payload;
    private final Map<String, String> set = new LinkedHashMap<>();
    private final Set<String> remove = new TreeSet<>();
    private String note = "";

    private Builder(String deadLetterId, String operator) {
      this.deadLetterId = deadLetterId;
      this.operator = operator;
    }

    /**
     * The corrected payload; default the original's.
     *
     * @param v the payload, copied; null keeps the original's
     * @return this builder
     */
    public Builder payload(byte[] v) { this.payload = v == null ? null : v.clone(); return this; }

    /**
     * Adds or overwrites header {@code name}.
     *
     * @param name the header name
     * @param value its new value
     * @return this builder
     */
    public Builder header(String name, String value) { set.put(name, notNull(value, "header value")); return this; }

    /**
     * Removes header {@code name} from the copy.
     *
     * @param name the header name
     * @return this builder
     */
    public Builder removeHeader(String name) { remove.add(name); return this; }

    /**
     * Why, for the audit entry; default empty.
     *
     * @param v the note; null means empty
     * @return this builder
     */
    public Builder note(String v) { this.note = v == null ? "" : v; return this; }

    /**
     * Builds the edit.
     *
     * @return the edit
     * @throws IllegalArgumentException as {@link ReplayEdit#ReplayEdit} does
     */
    public ReplayEdit build() {
      return new ReplayEdit(deadLetterId, Optional.ofNullable(payload), set, remove, operator, note);
    }
  }
}
