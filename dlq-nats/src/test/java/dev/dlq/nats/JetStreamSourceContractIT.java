package dev.dlq.nats;

import dev.dlq.contract.SourceContract;
import dev.dlq.spi.Source;
import io.nats.client.Connection;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The source contract against a real JetStream server. */
class JetStreamSourceContractIT extends SourceContract {
  private Connection conn;
  private JetStreamDlq dlq;
  private String stream;
  private String subject;

  @Override
  protected Source newSource() throws Exception {
    conn = NatsTestServer.connect();
    stream = NatsTestServer.unique("SRC");
    subject = stream.toLowerCase() + ".in";
    conn.jetStreamManagement().addStream(StreamConfiguration.builder().name(stream).subjects(subject)
        .storageType(StorageType.Memory).build());
    dlq = JetStreamDlq.builder(stream.toLowerCase()).connection(conn).build();
    return dlq.source(stream, "worker").ackWait(Duration.ofSeconds(30)).maxDeliver(10).backstop(false).build();
  }

  @Override
  protected String enqueue(String type, byte[] payload, Map<String, String> headers) throws Exception {
    Headers h = new Headers();
    headers.forEach(h::add);
    h.put(NatsHeaders.TYPE, type);
    PublishAck ack = conn.jetStream().publish(NatsMessage.builder().subject(subject).headers(h).data(payload).build());
    return stream + ":" + ack.getSeqno();
  }

  @AfterEach
  void dropStream() throws InterruptedException {
    if (conn != null) {
      NatsTestServer.deleteStreams(conn, stream);
      dlq.close();
      conn.close();
    }
  }
}
