package dev.dlq.spi;

import java.time.Duration;
import java.util.List;

/**
 * Where a worker gets messages: a task table, a queue, a stream consumer. The worker calls
 * {@link #poll} from one thread and settles each {@link Delivery} from its processing threads.
 *
 * <p>Implementations must be thread-safe between {@code poll} and the deliveries' methods.
 */
public interface Source extends AutoCloseable {

  /**
   * Claims up to {@code max} messages, waiting up to {@code wait} for the first one (long poll,
   * LISTEN/NOTIFY, pull fetch). Returns an empty list when nothing came.
   *
   * @throws InterruptedException when the worker is stopping
   * @throws dev.dlq.DlqException when the backend fails; the worker backs off and polls again
   */
  List<? extends Delivery> poll(int max, Duration wait) throws InterruptedException;

  /** How long a claimed message stays invisible to others; zero means no lease (nothing to extend). */
  default Duration lease() {
    return Duration.ZERO;
  }

  /** The source's name for logs and metrics (a queue, a subject). */
  String name();

  /** Releases connections; deliveries not yet settled return to the backend. */
  @Override
  default void close() {}
}
