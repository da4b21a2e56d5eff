package dev.dlq;

import java.time.Instant;
import java.util.Map;

/**
 * Counts of the dead letters matching a filter.
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
  public DeadLetterStats {
    byType = Map.copyOf(byType);
    byErrorClass = Map.copyOf(byErrorClass);
    byErrorType = Map.copyOf(byErrorType);
    byFingerprint = Map.copyOf(byFingerprint);
    byStatus = Map.copyOf(byStatus);
    byHour = Map.copyOf(byHour);
  }
}
