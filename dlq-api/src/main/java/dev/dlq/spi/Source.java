package dev.dlq.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where a worker gets messages: a task table, a queue, a stream consumer. A {@link dev.dlq.Worker}
 * owns the source it is built with: it {@link #open opens} it with its {@link SourceContext} before
 * the first poll and {@link #close closes} it after the last settlement. The worker calls
 * {@link #poll} from one thread and settles each {@link Delivery} from its processing threads.
 *
 * <p>Implementations must be thread-safe between {@code poll} and the deliveries' methods.
 */
public interface Source extends AutoCloseable {

  /**
   * Binds the source to the worker that owns it, once, before the first poll: the backend takes its
   * crash backstop, observer, clock and dead-letter sink from {@code context}. The default does
   * nothing.
   *
   * @param context what the worker states once: attempt budget, observer, clock, worker id, sink
   * @throws dev.dlq.DlqException when the backend cannot be reached or is not set up
   */
  default void open(SourceContext context) {}

  /**
   * Claims up to {@code max} messages, waiting up to {@code wait} for the first one (long poll,
   * LISTEN/NOTIFY, pull fetch). Returns an empty list when nothing came.
   *
   * @param max the most messages to claim, at least 1
   * @param wait the longest wait for the first one
   * @return the claimed deliveries, never more than {@code max}
   * @throws InterruptedException when the worker is stopping
   * @throws dev.dlq.DlqException when the backend fails; the worker backs off and polls again
   */
  List<? extends Delivery> poll(int max, Duration wait) throws InterruptedException;

  /**
   * How long a claimed message stays invisible to others; zero means no lease (nothing to extend).
   *
   * @return the lease; zero by default
   */
  default Duration lease() {
    return Duration.ZERO;
  }

  /**
   * The prefetch a worker uses when its builder was given none: how many messages it may hold
   * claimed beyond those running ({@link dev.dlq.Worker.Builder#prefetch}). Sources whose settlements
   * are made durable in batches (a group commit) want a deeper pipeline than one message per
   * processing thread; the default is {@code concurrency}.
   *
   * @param concurrency the worker's processor calls at once, at least 1
   * @return the prefetch, at least 0
   */
  default int defaultPrefetch(int concurrency) {
    return concurrency;
  }

  /**
   * Whether {@link Settlement#release()} gives the message its attempt back (a PostgreSQL queue, the
   * in-memory queue) or the backend counts the delivery anyway (an SQS receive, a JetStream
   * delivery). Where it gives it back, a worker whose circuit is open hands back a message that failed
   * on its last attempt instead of dead-lettering it, since the outage, not the message, failed it.
   *
   * @return true where a release keeps the attempt; false by default
   */
  default boolean releaseKeepsAttempt() {
    return false;
  }

  /**
   * The source's name for logs and metrics (a queue, a subject).
   *
   * @return the name
   */
  String name();

  /**
   * The dead-letter store that belongs with this source (a PostgreSQL queue's own table, the NATS
   * DLQ stream), which a worker uses when it is given no sink. Empty where there is none.
   *
   * @return the sink, or empty (the default)
   */
  default Optional<DeadLetterSink> defaultSink() {
    return Optional.empty();
  }

  /**
   * The transaction scope of this source's own writes; see {@link DeadLetterSink#transactionScope()}.
   * Empty where the source cannot write a dead letter in its own transaction.
   *
   * @return the scope, or empty (the default)
   */
  default Optional<String> transactionScope() {
    return Optional.empty();
  }

  /** Releases connections; deliveries not yet settled return to the backend. */
  @Override
  default void close() {}
}
