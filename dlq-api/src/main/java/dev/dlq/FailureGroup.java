package dev.dlq;

import static dev.dlq.spi.Checks.notNull;

import java.time.Instant;
import java.util.Set;

/**
 * Dead letters that failed alike: one fingerprint (exception type, normalised message, top frames,
 * message type), acted on as a unit ({@link dev.dlq.spi.DeadLetterStore#resolveGroup},
 * {@link dev.dlq.spi.DeadLetterStore#discardGroup}, {@link ReplayPlan.Builder#group}). Immutable.
 *
 * @param fingerprint the group's fingerprint
 * @param count how many dead letters of the filter it holds
 * @param pending how many of them are PENDING
 * @param firstSeen the earliest death
 * @param lastSeen the latest death
 * @param types the message types in it
 * @param errorType the newest member's exception type
 * @param sampleError the newest member's error message
 * @param sampleId the newest member's id
 */
public record FailureGroup(String fingerprint, long count, long pending, Instant firstSeen, Instant lastSeen,
    Set<String> types, String errorType, String sampleError, String sampleId) {
  /**
   * Checks the components and copies {@code types}.
   *
   * @param fingerprint the group's fingerprint
   * @param count how many dead letters of the filter it holds
   * @param pending how many of them are PENDING
   * @param firstSeen the earliest death
   * @param lastSeen the latest death
   * @param types the message types in it
   * @param errorType the newest member's exception type
   * @param sampleError the newest member's error message
   * @param sampleId the newest member's id
   * @throws IllegalArgumentException when a component other than a count is null
   */
  public FailureGroup {
    notNull(fingerprint, "fingerprint");
    notNull(firstSeen, "firstSeen");
    notNull(lastSeen, "lastSeen");
    types = Set.copyOf(notNull(types, "types"));
    notNull(errorType, "errorType");
    notNull(sampleError, "sampleError");
    notNull(sampleId, "sampleId");
  }
}
