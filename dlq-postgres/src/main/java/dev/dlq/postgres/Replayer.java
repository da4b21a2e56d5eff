package dev.dlq.postgres;

import dev.dlq.StoredDeadLetter;
import java.sql.Connection;

/**
 * Sends a replayed dead letter's message back to a source of another backend (an SQS queue, a NATS
 * subject) for {@link PostgresDeadLetterStore}. Replays to this store's own PostgreSQL queues need
 * none. Must be thread-safe.
 */
@FunctionalInterface
public interface Replayer {

  /**
   * Sends {@code deadLetter}'s message, byte-exact with its headers, back to its source. Runs inside
   * the transaction that marks it REPLAYED: throw to roll that back (the dead letter stays PENDING and
   * is reported as skipped); work done on {@code transaction} commits with it.
   *
   * @param deadLetter the dead letter being replayed
   * @param replayId the replay's id, for lineage
   * @param transaction the store's transaction; do not commit, roll back or close it
   * @throws Exception anything, to skip this dead letter: it stays PENDING
   */
  void replay(StoredDeadLetter deadLetter, String replayId, Connection transaction) throws Exception;
}
