package dev.dlq.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a busy source read ahead is handed back when it closes, not after the ack wait. */
class ReadAheadIT extends NatsITBase {

  @Test
  void closingTheSourceHandsBackWhatItReadAhead() throws Exception {
    int n = 300;
    for (int i = 0; i < n; i++) {
      publish("job", ("m" + i).getBytes(StandardCharsets.UTF_8), Map.of());
    }
    Set<String> seen = new HashSet<>();
    Source busy = nats.source(stream, "w").ackWait(Duration.ofSeconds(60)).pullBatch(100).backstop(false).build();
    // one at a time, quickly: the source measures a high rate and starts pulling 100 at a time
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    boolean readAhead = false;
    while (!readAhead && System.nanoTime() < until && seen.size() < n - 100) {
      for (Delivery d : busy.poll(1, Duration.ofMillis(200))) {
        seen.add(d.message().payloadAsString());
        dev.dlq.contract.Settle.complete(d);
      }
      readAhead = seen.size() > 20 && consumer("w").getNumAckPending() > 5;
    }
    assertThat(readAhead).as("the source read ahead").isTrue();
    busy.close();

    Source next = closeLater(nats.source(stream, "w").ackWait(Duration.ofSeconds(60)).backstop(false).build());
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (seen.size() < n && System.nanoTime() < deadline) {
      List<? extends Delivery> got = next.poll(50, Duration.ofMillis(300));
      for (Delivery d : got) {
        seen.add(d.message().payloadAsString());
        dev.dlq.contract.Settle.complete(d);
      }
    }
    assertThat(seen).as("all back well before the 60 s ack wait").hasSize(n);
    awaitDrained("w", Duration.ofSeconds(10));
  }
}
