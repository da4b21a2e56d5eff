package dev.dlq.nats;

import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.contract.ReplayRunnerContract;
import dev.dlq.spi.ReplayStore;
import dev.dlq.spi.Source;
import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/** The replay runner contract on JetStream: jobs in the {@code <dlqStream>_REPLAYS} KV bucket. */
class JetStreamReplayRunnerIT extends ReplayRunnerContract {
  private Connection conn;
  private JetStreamDlq dlq;
  private String workStream;
  private Source replays;

  @Override
  protected ReplayStore newStore() throws Exception {
    conn = NatsTestServer.connect();
    dlq = JetStreamDlq.builder(NatsTestServer.unique("replay").toLowerCase()).connection(conn).build();
    return (ReplayStore) dlq.store();
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
          "KV_" + dlq.dlqStream() + "_STATE", "KV_" + dlq.dlqStream() + "_REPLAYS");
      dlq.close();
      conn.close();
    }
  }
}
