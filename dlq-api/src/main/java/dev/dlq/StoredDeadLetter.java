package dev.dlq;

import static dev.dlq.spi.Checks.atLeast;
import static dev.dlq.spi.Checks.notNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A dead letter as a {@link dev.dlq.spi.DeadLetterStore} keeps it: the record plus its workflow state.
 * Immutable and thread-safe.
 *
 * @param deadLetter the latest death of the message
 * @param status the workflow status
 * @param deathCount how many times the message died (raised when a replayed message dies again)
 * @param replayCount how many times it was replayed
 * @param lastReplayId the id of the last replay, if any (lineage)
 * @param lastReplayBy the operator of the last replay, if any
 * @param updatedAt when the record last changed
 */
public record StoredDeadLetter(DeadLetter deadLetter, DeadLetterStatus status, int deathCount, int replayCount,
    Optional<String> lastReplayId, Optional<String> lastReplayBy, Instant updatedAt) {
  /**
   * Checks the arguments.
   *
   * @param deadLetter the latest death of the message
   * @param status the workflow status
   * @param deathCount how many times the message died, at least 1
   * @param replayCount how many times it was replayed, at least 0
   * @param lastReplayId the id of the last replay, if any
   * @param lastReplayBy the operator of the last replay, if any
   * @param updatedAt when the record last changed
   * @throws IllegalArgumentException when an argument is null or a count is out of range
   */
  public StoredDeadLetter {
    notNull(deadLetter, "deadLetter");
    notNull(status, "status");
    atLeast(deathCount, 1, "deathCount");
    atLeast(replayCount, 0, "replayCount");
    notNull(lastReplayId, "lastReplayId");
    notNull(lastReplayBy, "lastReplayBy");
    notNull(updatedAt, "updatedAt");
  }

  /**
   * What became of its last replay: never replayed; replayed and not dead since (status REPLAYED, or
   * a later death count no higher than its replay count); or died again (a death after the replay).
   *
   * @return the fate of the last replay
   */
  public ReplayFate replayFate() {
    return ReplayFate.of(status, deathCount, replayCount);
  }

  /**
   * The dead letter's id.
   *
   * @return {@link DeadLetter#id()}
   */
  public String id() {
    return deadLetter.id();
  }
}
