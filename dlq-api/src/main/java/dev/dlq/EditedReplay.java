package dev.dlq;

import java.util.List;

/**
 * What {@link ReplayRunner#editAndReplay} did: the dead letter is REPLAYED with {@code replayId}, and
 * {@code copy} (its lineage child) was sent to the dead letter's source. Immutable and thread-safe.
 *
 * @param replayId the replay's id, recorded on the dead letter and in the copy's headers
 * @param deadLetterId the corrected dead letter
 * @param copy the message sent: a new id, the corrected payload and headers, a fresh attempt budget
 * @param changes the diff, one line per change, as written to the audit log
 */
public record EditedReplay(String replayId, String deadLetterId, Message copy, List<String> changes) {
  /**
   * Copies {@code changes}.
   *
   * @param replayId the replay's id
   * @param deadLetterId the corrected dead letter
   * @param copy the message sent
   * @param changes the diff, one line per change
   */
  public EditedReplay {
    changes = List.copyOf(changes);
  }
}
