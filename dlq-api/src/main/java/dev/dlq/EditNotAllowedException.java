package dev.dlq;

import java.util.Set;

/**
 * Editing and replaying a dead letter of this message type is not allowed: edit-and-replay is off
 * by default and allowed per type ({@link ReplayRunner.Builder#allowEdits}). Nothing was changed or
 * sent.
 */
public class EditNotAllowedException extends DlqException {
  private static final long serialVersionUID = 1L;
  /** The message type that may not be edited. */
  private final String type;
  /** The types that may be edited. */
  private final Set<String> allowed;

  /**
   * Type {@code type} may not be edited; {@code allowed} may.
   *
   * @param type the message type of the dead letter
   * @param allowed the types the runner allows edits of, possibly none
   */
  public EditNotAllowedException(String type, Set<String> allowed) {
    super("editing dead letters of type '" + type + "' is not allowed ("
        + (allowed.isEmpty() ? "edits are off: allow them per message type" : "allowed types: " + new java.util.TreeSet<>(allowed))
        + "); nothing was changed");
    this.type = type;
    this.allowed = Set.copyOf(allowed);
  }

  /**
   * The message type that may not be edited.
   *
   * @return the type
   */
  public String type() {
    return type;
  }

  /**
   * The message types whose dead letters may be edited, {@code *} meaning all.
   *
   * @return the allowed types, possibly empty
   */
  public Set<String> allowed() {
    return allowed;
  }
}
