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
  DIED_AGAIN
}
