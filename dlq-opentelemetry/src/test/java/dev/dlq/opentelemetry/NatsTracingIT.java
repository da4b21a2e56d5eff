package dev.dlq.opentelemetry;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.Worker;
import dev.dlq.nats.JetStreamDlq;
import dev.dlq.nats.NatsHeaders;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Source;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The scenario on NATS JetStream: a stream of its own, the prefix's DLQ stream, the store's replay. */
class NatsTracingIT extends TracingScenario {
  private Connection conn;
  private String prefix;
  private String stream;
  private JetStreamDlq nats;

  @BeforeEach
  void streams() throws Exception {
    conn = TestServers.nats();
    String unique = "OTEL" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase(Locale.ROOT);
    prefix = unique.toLowerCase(Locale.ROOT);
    stream = unique + "_EVENTS";
    conn.jetStreamManagement().addStream(StreamConfiguration.builder().name(stream).subjects(prefix + ".events.>")
        .storageType(StorageType.Memory).build());
    nats = JetStreamDlq.builder(prefix).connection(conn).build();
  }

  @AfterEach
  void deleteStreams() throws Exception {
    if (conn == null) {
      return;
    }
    JetStreamManagement jsm = conn.jetStreamManagement();
    for (String s : new String[] {stream, nats.dlqStream(), nats.dlqStream() + "_AUDIT", "KV_" + nats.dlqStream() + "_STATE"}) {
      try {
        jsm.deleteStream(s);
      } catch (Exception ignored) {
        // not there
      }
    }
    nats.close();
    conn.close();
  }

  @Override
  String send(String type, byte[] payload, Map<String, String> headers) throws Exception {
    Map<String, String> all = new HashMap<>(headers);
    all.put(NatsHeaders.NATS_MSG_ID, "order-1");
    Headers h = new Headers();
    all.forEach(h::add);
    conn.jetStream().publish(NatsMessage.builder().subject(prefix + ".events." + type).headers(h).data(payload).build());
    return "order-1";
  }

  @Override
  Source source() {
    return nats.source(stream, "w").build();
  }

  @Override
  Worker.Builder tune(Worker.Builder b) {
    return b.pollWait(Duration.ofMillis(300));
  }

  @Override
  DeadLetter deadLetter() {
    return nats.store().find(DeadLetterQuery.of(DeadLetterFilter.all(), 10)).items().get(0).deadLetter();
  }

  @Override
  DeadLetterStore store() {
    return nats.store();
  }

  @Override
  String system() {
    return "nats";
  }
}
