package dev.dlq.postgres.internal;

import dev.dlq.DeadLetterFormat;
import dev.dlq.SourceRef;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DlqObserver;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Everything a queue's sources, reaper and calls share; built by {@code PostgresQueue.Builder}.
 *
 * @param maxAttempts the attempt budget written on new tasks; a worker's source overwrites it on
 *     claim with the crash backstop of the worker's retry policy
 * @param sink where the reaper and DB-authority calls record dead letters; null for this schema's
 *     dead-letter table, in the task's own transaction
 * @param observer hears the deaths the reaper and DB-authority calls cause; never null
 */
public record QueueConfig(DataSource dataSource, Sql sql, String queue, Clock clock, Duration lease, int maxAttempts,
    Duration keepCompleted, Duration keepDead, Duration reapInterval, boolean listen, DeadLetterSink sink,
    DlqObserver observer, DeadLetterFormat format, int settleWriters, int claimBatch) {

  /** The default attempt budget of new tasks (the column default). */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /** This configuration as a worker bound it: its sink (null for the own table), observer and format. */
  public QueueConfig bind(DeadLetterSink boundSink, DlqObserver boundObserver, DeadLetterFormat boundFormat) {
    return new QueueConfig(dataSource, sql, queue, clock, lease, maxAttempts, keepCompleted, keepDead, reapInterval,
        listen, boundSink, boundObserver, boundFormat, settleWriters, claimBatch);
  }

  public SourceRef sourceRef() {
    return SourceRef.of("postgres", queue);
  }

  public String wakeKey() {
    return Names.wakeKey(sql.schema, queue);
  }
}
