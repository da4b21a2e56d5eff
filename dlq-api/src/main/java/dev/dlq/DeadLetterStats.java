package dev.dlq;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts of the dead letters matching a filter. Immutable and thread-safe.
 *
 * @param total how many
 * @param byType by message type
 * @param byErrorClass by error class
 * @param byErrorType by exception class name
 * @param byFingerprint by failure group
 * @param byStatus by workflow status
 * @param byHour by the hour they died in (UTC, truncated)
 */
public record DeadLetterStats(long total, Map<String, Long> byType, Map<ErrorClass, Long> byErrorClass,
    Map<String, Long> byErrorType, Map<String, Long> byFingerprint, Map<DeadLetterStatus, Long> byStatus,
    Map<Instant, Long> byHour) {
  /**
   * Copies the maps.
   *
   * @param total how many
   * @param byType by message type
   * @param byErrorClass by error class
   * @param byErrorType by exception class name
   * @param byFingerprint by failure group
   * @param byStatus by workflow status
   * @param byHour by the hour they died in (UTC, truncated)
   * @throws NullPointerException when a map is null or holds a null key or value
   */
  public DeadLetterStats {
    byType = Map.copyOf(byType);
    byErrorClass = Map.copyOf(byErrorClass);
    byErrorType = Map.copyOf(byErrorType);
    byFingerprint = Map.copyOf(byFingerprint);
    byStatus = Map.copyOf(byStatus);
    byHour = Map.copyOf(byHour);
  }

  /**
   * Counts {@code deadLetters} (for stores that filter in memory).
   *
   * @param deadLetters the dead letters, already filtered
   * @return their counts
   */
  public static DeadLetterStats of(Collection<StoredDeadLetter> deadLetters) {
    Map<String, Long> byType = new HashMap<>();
    Map<ErrorClass, Long> byClass = new HashMap<>();
    Map<String, Long> byErrorType = new HashMap<>();
    Map<String, Long> byFingerprint = new HashMap<>();
    Map<DeadLetterStatus, Long> byStatus = new HashMap<>();
    Map<Instant, Long> byHour = new HashMap<>();
    for (StoredDeadLetter s : deadLetters) {
      DeadLetter dl = s.deadLetter();
      byType.merge(dl.message().type(), 1L, Long::sum);
      byClass.merge(dl.errorClass(), 1L, Long::sum);
      byErrorType.merge(dl.errorType(), 1L, Long::sum);
      byFingerprint.merge(dl.fingerprint(), 1L, Long::sum);
      byStatus.merge(s.status(), 1L, Long::sum);
      byHour.merge(dl.deadAt().truncatedTo(ChronoUnit.HOURS), 1L, Long::sum);
    }
    return new DeadLetterStats(deadLetters.size(), byType, byClass, byErrorType, byFingerprint, byStatus, byHour);
  }
}
