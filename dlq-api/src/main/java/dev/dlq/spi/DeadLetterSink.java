package dev.dlq.spi;

import dev.dlq.DeadLetter;
import dev.dlq.RecordResult;
import java.util.Optional;

/**
 * Durably records dead letters. Idempotent on {@link DeadLetter#id()}: recording the same death
 * twice changes nothing and returns {@link RecordResult#ALREADY_RECORDED}; a message that died
 * again after a replay reopens its record ({@link RecordResult#REOPENED}).
 *
 * <p>Thread-safe. {@link #record} returns only when it is safe to drop the original message.
 */
public interface DeadLetterSink extends AutoCloseable {

  /**
   * Records {@code deadLetter}.
   *
   * @param deadLetter the dead letter
   * @return whether this call recorded it, found it recorded already, or reopened it
   * @throws dev.dlq.DlqException when it could not be made durable; the original is then kept
   */
  RecordResult record(DeadLetter deadLetter);

  /**
   * Declares where this sink writes, when a source may write its dead letters in the same
   * transaction as its own state change: a value such as {@code postgres:<server>/<database>/<schema>}.
   * A worker compares it with {@link Source#transactionScope()} by value, never by object identity,
   * so a wrapped connection pool still qualifies. Empty (the default) when the sink has no such scope.
   *
   * @return the scope, or empty
   */
  default Optional<String> transactionScope() {
    return Optional.empty();
  }

  /** Releases what the sink holds; the default does nothing. */
  @Override
  default void close() {}
}
