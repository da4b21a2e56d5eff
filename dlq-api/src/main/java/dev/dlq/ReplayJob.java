package dev.dlq;

import static dev.dlq.spi.Checks.atLeast;
import static dev.dlq.spi.Checks.notBlank;
import static dev.dlq.spi.Checks.notNull;

import java.time.Instant;

/**
 * A replay job as its store keeps it: the snapshot's size, how far the job got, what it sent and
 * what died again. Its {@link #id()} is the replay id recorded on every dead letter it sends
 * (lineage). Immutable; a new value is written at every step.
 *
 * @param id the job id, also the replay id of every message it sends
 * @param operator who created it
 * @param target what it replays, as text (filter or id count)
 * @param settings canary, ramp and stop settings
 * @param state where it stands
 * @param total how many ids the snapshot holds
 * @param position how many of the snapshot's ids were processed (sent or skipped), in order
 * @param sent how many were sent back
 * @param skipped how many were not sent (no longer PENDING, unknown, no route)
 * @param diedAgain how many of the sent ones died again (counted at the last check)
 * @param rate the rate it is sending at now (messages a second; 0 when not running)
 * @param reason why it is in its state (who paused it, why it stopped), or empty
 * @param createdAt when it was prepared
 * @param updatedAt when it last changed
 * @param version the store's version of this value (optimistic concurrency); a store sets it
 */
public record ReplayJob(String id, String operator, String target, ReplayPlan.Settings settings, State state,
    int total, int position, int sent, int skipped, int diedAgain, double rate, String reason, Instant createdAt,
    Instant updatedAt, long version) {

  /** Where a job stands. */
  public enum State {
    /** Snapshotted (the dry run): count and sample shown, nothing sent. Start it to send. */
    PLANNED,
    /** Sending, or interrupted while sending (a crash): running it again resumes where it stopped. */
    RUNNING,
    /** Paused by an operator; resume it to go on. */
    PAUSED,
    /** Stopped by itself: too many replayed messages died again (or the canary did). Resume to go on anyway. */
    STOPPED,
    /** The store failed under it; resume it to go on. */
    FAILED,
    /** Cancelled by an operator; final. */
    CANCELLED,
    /** Every id of the snapshot was processed; final. */
    COMPLETED;

    /**
     * Whether nothing can move the job any more.
     *
     * @return true for {@link #CANCELLED} and {@link #COMPLETED}
     */
    public boolean isFinal() {
      return this == CANCELLED || this == COMPLETED;
    }
  }

  /**
   * Checks the components.
   *
   * @param id the job id, also the replay id of every message it sends
   * @param operator who created it
   * @param target what it replays, as text (filter or id count)
   * @param settings canary, ramp and stop settings
   * @param state where it stands
   * @param total how many ids the snapshot holds
   * @param position how many of the snapshot's ids were processed (sent or skipped), in order
   * @param sent how many were sent back
   * @param skipped how many were not sent (no longer PENDING, unknown, no route)
   * @param diedAgain how many of the sent ones died again (counted at the last check)
   * @param rate the rate it is sending at now (messages a second; 0 when not running)
   * @param reason why it is in its state (who paused it, why it stopped), or empty
   * @param createdAt when it was prepared
   * @param updatedAt when it last changed
   * @param version the store's version of this value (optimistic concurrency); a store sets it
   * @throws IllegalArgumentException when a component is null, {@code id} or {@code operator} is blank, a count
   *     is negative, or {@code position} is above {@code total}
   */
  public ReplayJob {
    notBlank(id, "id");
    notBlank(operator, "operator");
    notNull(target, "target");
    notNull(settings, "settings");
    notNull(state, "state");
    atLeast(total, 0, "total");
    atLeast(position, 0, "position");
    atLeast(sent, 0, "sent");
    atLeast(skipped, 0, "skipped");
    atLeast(diedAgain, 0, "diedAgain");
    if (position > total) {
      throw new IllegalArgumentException("position must be <= total (" + total + ") but was " + position);
    }
    notNull(reason, "reason");
    notNull(createdAt, "createdAt");
    notNull(updatedAt, "updatedAt");
  }

  /**
   * How many ids of the snapshot are still to be processed.
   *
   * @return {@code total - position}
   */
  public int pending() {
    return total - position;
  }

  /**
   * This job in {@code next} state, for {@code why}, at {@code now}. Its rate drops to 0 unless
   * {@code next} is {@link State#RUNNING}.
   *
   * @param next the new state
   * @param why the new reason
   * @param now the new {@code updatedAt}
   * @return the changed copy
   */
  public ReplayJob with(State next, String why, Instant now) {
    return new ReplayJob(id, operator, target, settings, notNull(next, "state"), total, position, sent, skipped,
        diedAgain, next == State.RUNNING ? rate : 0, notNull(why, "reason"), createdAt, now, version);
  }

  /**
   * This job with its progress moved.
   *
   * @param position the new position
   * @param sent the new count sent
   * @param skipped the new count skipped
   * @param diedAgain the new count that died again
   * @param rate the new rate
   * @param now the new {@code updatedAt}
   * @return the changed copy
   */
  public ReplayJob progressed(int position, int sent, int skipped, int diedAgain, double rate, Instant now) {
    return new ReplayJob(id, operator, target, settings, state, total, position, sent, skipped, diedAgain, rate, reason,
        createdAt, now, version);
  }

  /**
   * This value as version {@code v} (stores call it when they write).
   *
   * @param v the store's version
   * @return the changed copy
   */
  public ReplayJob withVersion(long v) {
    return new ReplayJob(id, operator, target, settings, state, total, position, sent, skipped, diedAgain, rate, reason,
        createdAt, updatedAt, v);
  }
}
