package dev.dlq;

/**
 * What became of a dead letter's last replay, as its record shows ({@link StoredDeadLetter#replayFate()}).
 * A replayed message that dies again reopens its record (status PENDING, death count raised), so the
 * record says whether the replay held.
 */
public enum ReplayFate {
  /** Never replayed. */
  NOT_REPLAYED,
  /** Replayed and not dead since: it succeeded, or is still being retried. */
  REPLAYED,
  /** Replayed and dead again afterwards. */
  DIED_AGAIN;

  /**
   * The fate a record's counts say: never replayed; replayed and not dead since (status REPLAYED, or
   * a death count no higher than its replay count); or died again (a death after the replay).
   *
   * @param status the record's status
   * @param deathCount how many times the message died
   * @param replayCount how many times it was replayed
   * @return the fate of the last replay
   */
  public static ReplayFate of(DeadLetterStatus status, int deathCount, int replayCount) {
    if (replayCount == 0) {
      return NOT_REPLAYED;
    }
    if (status == DeadLetterStatus.REPLAYED || deathCount <= replayCount) {
      return REPLAYED;
    }
    return DIED_AGAIN;
  }
}
