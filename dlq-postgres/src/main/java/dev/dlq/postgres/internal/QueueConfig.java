package dev.dlq.postgres.internal;

import dev.dlq.DeadLetterFormat;
import dev.dlq.DlqMetrics;
import dev.dlq.SourceRef;
import dev.dlq.spi.DeadLetterSink;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Everything a queue's sources, reaper and calls share; built by {@code PostgresQueue.Builder}.
 *
 * @param sink where the reaper records crash loops; null for this schema's dead-letter table
 * @param metrics counts crash-loop deaths; null for none
 */
public record QueueConfig(DataSource dataSource, Sql sql, String queue, Clock clock, Duration lease, int maxAttempts,
    Duration keepCompleted, Duration keepDead, Duration reapInterval, boolean listen, DeadLetterSink sink,
    DlqMetrics metrics, DeadLetterFormat format, int settleWriters, int claimBatch) {

  public SourceRef sourceRef() {
    return SourceRef.of("postgres", queue);
  }

  public String wakeKey() {
    return Names.wakeKey(sql.schema, queue);
  }
}
