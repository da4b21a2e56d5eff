package dev.dlq.spi;

import dev.dlq.DeadLetter;
import dev.dlq.RecordResult;

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
   * @throws dev.dlq.DlqException when it could not be made durable; the original is then kept
   */
  RecordResult record(DeadLetter deadLetter);

  @Override
  default void close() {}
}
