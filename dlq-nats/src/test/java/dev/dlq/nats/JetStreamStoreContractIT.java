package dev.dlq.nats;

import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.contract.DeadLetterStoreContract;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Source;
import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/** The store contract against a real JetStream server: the DLQ stream, its KV state and audit stream. */
class JetStreamStoreContractIT extends DeadLetterStoreContract {
  private Connection conn;
  private JetStreamDlq dlq;
  private String prefix;
  private String workStream;
  private Source replays;

  @Override
  protected DeadLetterStore newStore() throws Exception {
    conn = NatsTestServer.connect();
    prefix = NatsTestServer.unique("store").toLowerCase();
    dlq = JetStreamDlq.builder(prefix).connection(conn).build();
    return dlq.store();
  }

  @Override
  protected SourceRef replayTarget() throws Exception {
    workStream = NatsTestServer.unique("WORK");
    String subject = workStream.toLowerCase() + ".orders";
    conn.jetStreamManagement().addStream(StreamConfiguration.builder().name(workStream).subjects(subject)
        .storageType(StorageType.Memory).build());
    replays = dlq.source(workStream, "replays").backstop(false).build();
    return SourceRef.of("nats", subject);
  }

  @Override
  protected Optional<Message> takeReplayed(SourceRef target, Duration wait) throws Exception {
    return dev.dlq.contract.Settle.takeOne(replays, wait);
  }

  @AfterEach
  void dropStreams() throws InterruptedException {
    if (conn != null) {
      replays.close();
      NatsTestServer.deleteStreams(conn, workStream, dlq.dlqStream(), dlq.dlqStream() + "_AUDIT",
          "KV_" + dlq.dlqStream() + "_STATE");
      dlq.close();
      conn.close();
    }
  }
}
