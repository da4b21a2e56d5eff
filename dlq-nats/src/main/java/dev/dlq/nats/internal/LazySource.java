package dev.dlq.nats.internal;

import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.Source;
import dev.dlq.spi.SourceContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A JetStream source whose consumer is created when its worker opens it, so that the consumer's
 * MaxDeliver (the crash backstop) comes from the worker's retry policy and its backstop records into
 * the worker's sink. Used without a worker, it opens itself on the first poll with the DLQ store.
 */
public final class LazySource implements Source {
  private final String name;
  private final Duration ackWait;
  private final Supplier<DeadLetterSink> store;
  private final Function<SourceContext, JetStreamSource> opening;
  private volatile JetStreamSource real;
  private volatile boolean closed;

  /**
   * @param opening creates or binds the consumer (and its backstop) for a worker's context
   */
  public LazySource(String name, Duration ackWait, Supplier<DeadLetterSink> store,
      Function<SourceContext, JetStreamSource> opening) {
    this.name = name;
    this.ackWait = ackWait;
    this.store = store;
    this.opening = opening;
  }

  @Override
  public synchronized void open(SourceContext context) {
    if (real != null) {
      throw new IllegalStateException("source " + name + " is already open");
    }
    if (closed) {
      throw new IllegalStateException("source " + name + " is closed");
    }
    JetStreamSource s = opening.apply(context);
    s.bind(context.sink());
    real = s;
  }

  private JetStreamSource real() {
    JetStreamSource s = real;
    if (s == null) {
      synchronized (this) {
        if (real == null) {
          open(SourceContext.standalone(store.get(), DlqObserver.NONE));
        }
        s = real;
      }
    }
    return s;
  }

  @Override
  public List<? extends Delivery> poll(int max, Duration wait) throws InterruptedException {
    return real().poll(max, wait);
  }

  @Override
  public Duration lease() {
    JetStreamSource s = real;
    return s != null ? s.lease() : ackWait;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<DeadLetterSink> defaultSink() {
    return Optional.of(store.get());
  }

  /** The consumer's MaxDeliver once open, else 0. */
  public int maxDeliver() {
    JetStreamSource s = real;
    return s != null ? s.maxDeliver() : 0;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (real != null) {
      real.close();
    }
  }
}
