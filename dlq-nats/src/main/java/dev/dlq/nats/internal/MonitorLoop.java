package dev.dlq.nats.internal;

import dev.dlq.DeadLetter;
import dev.dlq.InvalidMessageException;
import dev.dlq.StoredDeadLetter;
import dev.dlq.nats.DlqAction;
import dev.dlq.nats.DlqMonitor;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a DLQ stream with a durable pull consumer and hands each dead letter, with its current
 * workflow state, to a handler; acks after the handler returns, naks with a delay when it throws (so
 * a dead letter is handled at least once, and the sink's idempotence makes twice harmless).
 *
 * <p>When the handler recorded the dead letter in the monitor's sink, the loop hands the death over
 * ({@link JetStreamStore#handOver}: RESOLVED here, the sink's copy is the record) before the ack. The
 * order matters: a crash after the sink write and before the hand-over redelivers the DLQ message, the
 * sink's upsert finds its copy (ALREADY_RECORDED) and the hand-over follows; a crash after the
 * hand-over and before the ack redelivers a death this consumer handed over already, which is acked
 * and left alone, so a copy an operator replayed meanwhile is not reopened by a stale death.
 */
public final class MonitorLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MonitorLoop.class);
  /** The longest the loop waits for the state of a death whose DLQ message it read first. */
  private static final long STATE_WAIT_MILLIS = 2000;

  /** What the monitor does with each dead letter. */
  public interface Handler {
    /**
     * Acts on {@code deadLetter}; throwing brings it back after the backoff.
     *
     * @return the action taken; STORE and ALERT are handed over when the monitor has a sink
     */
    DlqAction handle(StoredDeadLetter deadLetter);

    /** {@code action} is done for good (handed over if it stored): count it. */
    void done(DlqAction action);
  }

  private final JetStreamStore store;
  private final String name;
  private final String durable;
  private final String sink;
  private final int batch;
  private final Duration backoff;
  private final Handler handler;
  private final JetStreamSubscription sub;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param sink the label of the sink STORE and ALERT record in, or null when they record nothing
   */
  public MonitorLoop(JetStreamStore store, String durable, String filterSubject, String sink, int batch,
      Duration backoff, int maxDeliver, Handler handler) {
    this.store = store;
    this.name = store.config().dlqStream() + "/" + durable;
    this.durable = durable;
    this.sink = sink;
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
    long seq = m.metaData().streamSequence();
    try {
      DlqState st = stateOf(dl.id(), seq);
      if (st != null && st.handedOverBy(durable, seq)) {
        log.debug("DLQ monitor {}: dead letter {} (DLQ sequence {}) was handed over already", name, dl.id(), seq);
        m.ack();
        return;
      }
      DlqAction action = handler.handle(Snapshot.stored(dl, st));
      if (sink != null && (action == DlqAction.STORE || action == DlqAction.ALERT)) {
        store.handOver(dl, seq, durable, DlqMonitor.OPERATOR, sink);
      }
      handler.done(action);
      m.ack();
    } catch (RuntimeException e) {
      log.warn("DLQ monitor {}: handling dead letter {} failed; it comes back in {}", name, dl.id(), backoff, e);
      m.nakWithDelay(backoff);
    }
  }

  /**
   * The state of {@code id} once it covers the death at DLQ sequence {@code seq}. A recorder writes
   * the state right after JetStream acked its publish, so the monitor may read the message first;
   * deciding (and handing over) on the older state would let the recorder's write count the same
   * death twice. After {@link #STATE_WAIT_MILLIS} (a lost write) it takes what there is.
   */
  private DlqState stateOf(String id, long seq) {
    long deadline = System.nanoTime() + STATE_WAIT_MILLIS * 1_000_000L;
    while (true) {
      KeyValueEntry e = store.kvGet(id);
      DlqState st = e == null || e.getValue() == null ? null : DlqState.fromJson(e.getValue());
      if ((st != null && st.seq() >= seq) || !running || System.nanoTime() - deadline >= 0) {
        return st;
      }
      Loops.pause(20);
    }
  }

  @Override
  public void close() {
    running = false;
    Loops.stop(thread, 5000, sub, log, name);
  }
}
