package dev.dlq;

/**
 * User code that handles one message. Return an {@link Outcome}, or throw: a thrown exception is
 * classified by the worker's {@link ErrorClassifier} and handed to its {@link RetryPolicy}. Throw
 * {@link InvalidMessageException} for input that can never be processed.
 *
 * <p>A processor is called from several threads at once and must be thread-safe. It may be
 * interrupted when the worker shuts down past its timeout.
 *
 * <p>While it runs, the SLF4J MDC of its thread holds {@code dlq.message_id}, {@code dlq.type},
 * {@code dlq.attempt} and {@code dlq.source} ({@code postgres:orders}); they are removed when it returns.
 */
@FunctionalInterface
public interface Processor {
  /**
   * Handles {@code message}.
   *
   * @param message the message, with its attempt number
   * @return what to do with the message; null is treated as a thrown {@link IllegalStateException}
   * @throws Exception any failure, classified by the worker and handed to its retry policy
   */
  Outcome process(Message message) throws Exception;
}
