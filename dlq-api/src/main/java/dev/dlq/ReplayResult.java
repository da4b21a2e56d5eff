package dev.dlq;

import java.util.List;

/**
 * What a replay did.
 *
 * @param replayId this replay's id (lineage: recorded on each dead letter it sent)
 * @param matched how many dead letters the request named or matched
 * @param replayed how many were sent back (0 on a dry run)
 * @param skipped ids that were not sent: unknown, not PENDING, or replayed concurrently by someone else
 * @param dryRun whether this was a dry run
 */
public record ReplayResult(String replayId, int matched, int replayed, List<String> skipped, boolean dryRun) {
  /**
   * Copies {@code skipped}.
   *
   * @param replayId this replay's id (lineage: recorded on each dead letter it sent)
   * @param matched how many dead letters the request named or matched
   * @param replayed how many were sent back (0 on a dry run)
   * @param skipped ids that were not sent: unknown, not PENDING, or replayed concurrently by someone else
   * @param dryRun whether this was a dry run
   */
  public ReplayResult {
    skipped = List.copyOf(skipped);
  }
}
