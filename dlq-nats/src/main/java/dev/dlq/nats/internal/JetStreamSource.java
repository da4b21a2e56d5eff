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
 */
public final class JetStreamSource implements dev.dlq.spi.Source {
  private static final Logger log = LoggerFactory.getLogger(JetStreamSource.class);
  private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final JetStreamSubscription sub;
  private final String stream;
  private final String name;
  private final Duration ackWait;
  private final int maxDeliver;
  final MessageDecoder decoder;
  final History history = new History();
  private final List<AutoCloseable> owned;
  private volatile boolean closed;

  private JetStreamSource(JetStreamSubscription sub, String stream, String consumer, Duration ackWait, int maxDeliver,
      MessageDecoder decoder, List<AutoCloseable> owned) {
    this.sub = sub;
    this.stream = stream;
    this.name = stream + "/" + consumer;
    this.ackWait = ackWait;
    this.maxDeliver = maxDeliver;
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
          new MessageDecoder(c.typeRule()), owned);
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
      // messages a previous pull delivered after its poll had returned
      Message m;
      while (out.size() < max && (m = sub.nextMessage((Duration) null)) != null) {
        out.add(new JetStreamDelivery(this, m));
      }
      if (!out.isEmpty()) {
        return out;
      }
      if (wait.toMillis() > 0) {
        sub.pullNoWait(max, wait);
      } else {
        sub.pullNoWait(max);
      }
      long deadline = System.nanoTime() + wait.toNanos() + GRACE_NANOS;
      while (out.size() < max) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || (m = sub.nextMessage(Duration.ofNanos(left))) == null) {
          break;
        }
        out.add(new JetStreamDelivery(this, m));
      }
      return out;
    } catch (IllegalStateException e) {
      // a closed connection, a deleted consumer (JetStreamStatusException): the worker backs off
      if (!out.isEmpty()) {
        return out;
      }
      throw new DlqException("pull from " + name + " failed: " + e.getMessage(), e);
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
