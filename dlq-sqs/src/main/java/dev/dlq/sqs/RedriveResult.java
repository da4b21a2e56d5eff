package dev.dlq.sqs;

import java.util.List;

/**
 * What an {@link SqsRedrive} run did. Immutable.
 *
 * @param dryRun whether it only counted
 * @param scanned distinct dead-letter-queue messages looked at
 * @param matched how many of them the request selected
 * @param moved how many were sent to their queue and deleted from the dead-letter queue (0 in a dry run)
 * @param failed how many matched but could not be moved (they stay in the dead-letter queue)
 * @param stoppedEarly whether the run gave up after repeated failures
 * @param failures what went wrong, at most 100 lines
 */
public record RedriveResult(boolean dryRun, int scanned, int matched, int moved, int failed, boolean stoppedEarly,
    List<String> failures) {
  /**
   * Checks the components and copies the list.
   *
   * @param dryRun whether it only counted
   * @param scanned distinct dead-letter-queue messages looked at
   * @param matched how many of them the request selected
   * @param moved how many were sent to their queue and deleted from the dead-letter queue (0 in a dry run)
   * @param failed how many matched but could not be moved (they stay in the dead-letter queue)
   * @param stoppedEarly whether the run gave up after repeated failures
   * @param failures what went wrong, at most 100 lines
   */
  public RedriveResult {
    failures = List.copyOf(failures);
  }
}
