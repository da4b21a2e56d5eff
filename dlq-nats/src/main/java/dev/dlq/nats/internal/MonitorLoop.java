package dev.dlq.nats.internal;

import dev.dlq.DeadLetter;
import dev.dlq.InvalidMessageException;
import dev.dlq.StoredDeadLetter;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a DLQ stream with a durable pull consumer and hands each dead letter, with its current
 * workflow state, to a handler; acks after the handler returns, naks with a delay when it throws (so
 * a dead letter is handled at least once, and the sink's idempotence makes twice harmless).
 */
public final class MonitorLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MonitorLoop.class);

  private final JetStreamStore store;
  private final String name;
  private final int batch;
  private final Duration backoff;
  private final Consumer<StoredDeadLetter> handler;
  private final JetStreamSubscription sub;
  private final Thread thread;
  private volatile boolean running = true;

  public MonitorLoop(JetStreamStore store, String durable, String filterSubject, int batch, Duration backoff,
      int maxDeliver, Consumer<StoredDeadLetter> handler) {
    this.store = store;
    this.name = store.config().dlqStream() + "/" + durable;
    this.batch = batch;
    this.backoff = backoff;
    this.handler = handler;
    Connection conn = store.connection();
    try {
      conn.jetStreamManagement().addOrUpdateConsumer(store.config().dlqStream(), ConsumerConfiguration.builder()
          .durable(durable).ackPolicy(AckPolicy.Explicit).deliverPolicy(DeliverPolicy.All)
          .filterSubject(filterSubject).ackWait(Duration.ofSeconds(60)).maxDeliver(maxDeliver).build());
      sub = conn.jetStream().subscribe(null, PullSubscribeOptions.bind(store.config().dlqStream(), durable));
    } catch (IOException | JetStreamApiException e) {
      throw Nats.failure("set up the DLQ monitor " + name, e);
    }
    thread = new Thread(this::run, "dlq-monitor-" + durable);
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    while (running) {
      List<Message> got;
      try {
        got = sub.fetch(batch, Duration.ofSeconds(1));
      } catch (RuntimeException e) {
        if (running) {
          log.warn("DLQ monitor {}: fetch failed; retrying in 1s", name, e);
          Loops.pause(1000);
        }
        continue;
      }
      for (Message m : got) {
        if (!running) {
          m.nak();
          continue;
        }
        handle(m);
      }
    }
  }

  private void handle(Message m) {
    DeadLetter dl;
    try {
      dl = DlqCodec.decode(m.getHeaders(), m.getData());
    } catch (InvalidMessageException e) {
      log.warn("DLQ monitor {}: message {} on {} is not a dead letter; skipping it: {}", name,
          m.metaData().streamSequence(), m.getSubject(), e.getMessage());
      m.term();
      return;
    }
    try {
      KeyValueEntry e = store.kvGet(dl.id());
      StoredDeadLetter s = Snapshot.stored(dl, e == null ? null : DlqState.fromJson(e.getValue()));
      handler.accept(s);
      m.ack();
    } catch (RuntimeException e) {
      log.warn("DLQ monitor {}: handling dead letter {} failed; it comes back in {}", name, dl.id(), backoff, e);
      m.nakWithDelay(backoff);
    }
  }

  @Override
  public void close() {
    running = false;
    Loops.stop(thread, 5000, sub, log, name);
  }
}
