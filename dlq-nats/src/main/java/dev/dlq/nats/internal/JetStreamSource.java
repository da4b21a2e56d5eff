package dev.dlq.nats.internal;

import dev.dlq.DlqException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable pull consumer with explicit acks as a {@link dev.dlq.spi.Source}. Each poll sends one
 * no-wait pull request with an expiry: the server answers at once with what it has (at least one
 * message) or waits up to the poll's wait for the first one, so a small backlog is not held back
 * waiting for a full batch. One thread polls; deliveries are settled from any thread.
 *
 * <p>Read-ahead: a worker asks for its free capacity, which under load is a few messages at a time,
 * and one pull round trip per few messages caps the throughput. So a pull asks for at least
 * {@code pullBatch} messages, but never more than the worker consumes in a quarter of the ack wait
 * (measured), so that the surplus is handed out by later polls long before its ack wait runs out; a
 * slow or idle worker reads nothing ahead. {@link #close()} gives the surplus back at once.
 */
public final class JetStreamSource implements dev.dlq.spi.Source {
  private static final Logger log = LoggerFactory.getLogger(JetStreamSource.class);
  private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final JetStreamSubscription sub;
  private final String stream;
  private final String name;
  private final Duration ackWait;
  private final int maxDeliver;
  private final int pullBatch;
  final MessageDecoder decoder;
  final History history = new History();
  private final List<AutoCloseable> owned;
  private volatile boolean closed;
  private volatile dev.dlq.spi.DeadLetterSink sink;
  // consumption rate (poller thread only): messages handed out per second, smoothed
  private double rate;
  private long windowStart = System.nanoTime();
  private long windowCount;

  private JetStreamSource(JetStreamSubscription sub, String stream, String consumer, Duration ackWait, int maxDeliver,
      int pullBatch, MessageDecoder decoder, List<AutoCloseable> owned) {
    this.sub = sub;
    this.stream = stream;
    this.name = stream + "/" + consumer;
    this.ackWait = ackWait;
    this.maxDeliver = maxDeliver;
    this.pullBatch = pullBatch;
    this.decoder = decoder;
    this.owned = owned;
  }

  /**
   * Creates or binds the durable consumer and subscribes to it.
   *
   * @param owned closed with the source, in order (a backstop, a connection the source owns)
   */
  public static JetStreamSource open(Connection conn, SourceConfig c, List<AutoCloseable> owned) {
    try {
      JetStreamManagement jsm = conn.jetStreamManagement();
      ConsumerInfo info;
      if (c.createConsumer()) {
        ConsumerConfiguration.Builder b = ConsumerConfiguration.builder()
            .durable(c.consumer())
            .ackPolicy(AckPolicy.Explicit)
            .deliverPolicy(DeliverPolicy.All)
            .ackWait(c.ackWait())
            .maxDeliver(c.maxDeliver())
            .maxAckPending(c.maxAckPending());
        if (c.filterSubject() != null) {
          b.filterSubject(c.filterSubject());
        }
        info = jsm.addOrUpdateConsumer(c.stream(), b.build());
      } else {
        info = jsm.getConsumerInfo(c.stream(), c.consumer());
      }
      ConsumerConfiguration cc = info.getConsumerConfiguration();
      if (cc.getAckPolicy() != AckPolicy.Explicit) {
        throw new DlqException("consumer " + c.consumer() + " of stream " + c.stream() + " must use explicit acks but uses "
            + cc.getAckPolicy());
      }
      JetStreamSubscription sub = conn.jetStream().subscribe(null, PullSubscribeOptions.bind(c.stream(), c.consumer()));
      Duration ackWait = cc.getAckWait() != null ? cc.getAckWait() : c.ackWait();
      return new JetStreamSource(sub, c.stream(), c.consumer(), ackWait, (int) cc.getMaxDeliver(),
          c.pullBatch(), new MessageDecoder(c.typeRule()), owned);
    } catch (IOException | JetStreamApiException e) {
      closeAll(owned);
      throw Nats.failure("set up consumer " + c.consumer() + " on stream " + c.stream(), e);
    } catch (RuntimeException e) {
      closeAll(owned);
      throw e;
    }
  }

  @Override
  public List<JetStreamDelivery> poll(int max, Duration wait) throws InterruptedException {
    if (closed) {
      throw new DlqException("source " + name + " is closed");
    }
    List<JetStreamDelivery> out = new ArrayList<>(Math.min(max, 512));
    try {
      // what an earlier pull delivered beyond its poll (read-ahead, or late)
      Message m;
      while (out.size() < max && (m = sub.nextMessage((Duration) null)) != null) {
        out.add(new JetStreamDelivery(this, m));
      }
      if (out.isEmpty()) {
        int ask = Math.max(max, readAhead());
        if (wait.toMillis() > 0) {
          sub.pullNoWait(ask, wait);
        } else {
          sub.pullNoWait(ask);
        }
        long deadline = System.nanoTime() + wait.toNanos() + GRACE_NANOS;
        while (out.size() < max) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || (m = sub.nextMessage(Duration.ofNanos(left))) == null) {
            break;
          }
          out.add(new JetStreamDelivery(this, m));
        }
      }
      count(out.size());
      return out;
    } catch (IllegalStateException e) {
      // a closed connection, a deleted consumer (JetStreamStatusException): the worker backs off
      if (!out.isEmpty()) {
        return out;
      }
      throw new DlqException("pull from " + name + " failed: " + e.getMessage(), e);
    }
  }

  /** The pull size to read ahead to: pullBatch, but no more than the worker consumes in a quarter of the ack wait. */
  private int readAhead() {
    if (pullBatch <= 1) {
      return 0;
    }
    double window = ackWait.toNanos() / 4e9;
    return (int) Math.min(pullBatch, rate * window);
  }

  private void count(int handedOut) {
    windowCount += handedOut;
    long now = System.nanoTime();
    long elapsed = now - windowStart;
    if (elapsed >= 100_000_000L) {
      double current = windowCount * 1e9 / elapsed;
      rate = rate == 0 ? current : (rate + current) / 2;
      windowStart = now;
      windowCount = 0;
    }
  }

  @Override
  public Duration lease() {
    return ackWait;
  }

  @Override
  public String name() {
    return name;
  }

  /** Where dead letters of this source's deliveries go: the worker's sink. */
  void bind(dev.dlq.spi.DeadLetterSink sink) {
    this.sink = sink;
  }

  dev.dlq.spi.DeadLetterSink sink() {
    return sink;
  }

  /** The work stream. */
  public String stream() {
    return stream;
  }

  /** Failed attempts this process knows of, by stream sequence. */
  public History history() {
    return history;
  }

  /** The consumer's MaxDeliver. */
  public int maxDeliver() {
    return maxDeliver;
  }

  /** Unsubscribes (the durable consumer stays, and unacknowledged messages return after the ack wait). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      // hand back what was read ahead and never handed out, including what is still on the wire
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      Message m;
      while (System.nanoTime() < end && (m = sub.nextMessage(Duration.ofMillis(100))) != null) {
        m.nak();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.debug("could not hand back the read-ahead of {}", name, e);
    }
    try {
      sub.unsubscribe();
    } catch (RuntimeException e) {
      log.debug("unsubscribe from {} failed", name, e);
    }
    closeAll(owned);
  }

  static void closeAll(List<AutoCloseable> owned) {
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        log.warn("closing {} failed", c, e);
      }
    }
  }
}
