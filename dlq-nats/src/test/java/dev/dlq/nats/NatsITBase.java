package dev.dlq.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Per test: a connection, a unique prefix, a work stream on {@code <prefix>.events.>}, the DLQ of the prefix; all deleted after. */
public abstract class NatsITBase {
  protected Connection conn;
  protected String prefix;
  protected String stream;
  protected JetStreamDlq nats;
  protected final List<String> extraStreams = new ArrayList<>();
  protected final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  protected void setUpNats() throws Exception {
    conn = NatsTestServer.connect();
    String id = NatsTestServer.unique("T");
    prefix = id.toLowerCase();
    stream = id + "_EVENTS";
    conn.jetStreamManagement().addStream(StreamConfiguration.builder().name(stream).subjects(prefix + ".events.>")
        .storageType(StorageType.File).build());
    nats = JetStreamDlq.builder(prefix).connection(conn).build();
  }

  @AfterEach
  protected void tearDownNats() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception ignored) {
        // keep cleaning
      }
    }
    if (conn != null) {
      List<String> all = new ArrayList<>(extraStreams);
      all.add(stream);
      all.add(nats.dlqStream());
      all.add(nats.dlqStream() + "_AUDIT");
      all.add("KV_" + nats.dlqStream() + "_STATE");
      NatsTestServer.deleteStreams(conn, all.toArray(new String[0]));
      nats.close();
      conn.close();
    }
  }

  protected <T extends AutoCloseable> T closeLater(T c) {
    toClose.add(c);
    return c;
  }

  protected String subject(String type) {
    return prefix + ".events." + type;
  }

  protected long publish(String type, byte[] payload, Map<String, String> headers) throws Exception {
    Headers h = new Headers();
    headers.forEach(h::add);
    return conn.jetStream().publish(NatsMessage.builder().subject(subject(type)).headers(h).data(payload).build())
        .getSeqno();
  }

  protected ConsumerInfo consumer(String name) throws Exception {
    return conn.jetStreamManagement().getConsumerInfo(stream, name);
  }

  /** Waits until the consumer has nothing pending or unacknowledged. */
  protected void awaitDrained(String consumer, Duration within) throws Exception {
    await(() -> {
      try {
        ConsumerInfo ci = consumer(consumer);
        return ci.getNumPending() == 0 && ci.getNumAckPending() == 0;
      } catch (Exception e) {
        return false;
      }
    }, within, "consumer " + consumer + " drained");
  }

  protected static void await(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        assertThat(condition.getAsBoolean()).as("timed out after " + within + " waiting for: " + what).isTrue();
        return;
      }
      Thread.sleep(50);
    }
  }

  protected long dlqMessages() throws Exception {
    return conn.jetStreamManagement().getStreamInfo(nats.dlqStream()).getStreamState().getMsgCount();
  }
}
