package dev.dlq;

/** What recording a dead letter did; the dead-lettered counter moves on CREATED and REOPENED only. */
public enum RecordResult {
  /** The first death of this message: a new record. */
  CREATED,
  /** A replayed message died again: its record went back to PENDING, death count raised. */
  REOPENED,
  /** This death was already recorded (a redelivery after a crash, a second publish): nothing changed. */
  ALREADY_RECORDED;

  /**
   * Whether this call moved a message into the dead state.
   *
   * @return true for CREATED and REOPENED
   */
  public boolean becameDead() {
    return this != ALREADY_RECORDED;
  }
}
