package dev.dlq.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterFilter;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.spi.Source;
import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A worker stopped, or its process gone, in the middle of a batch loses nothing (DESIGN §5.1). */
class StoppedWorkerIT extends NatsITBase {
  private static final int N = 200;

  private void publishAll() throws Exception {
    for (int i = 0; i < N; i++) {
      publish("job", ("job-" + i).getBytes(StandardCharsets.UTF_8), Map.of());
    }
  }

  @Test
  void aWorkerShutDownMidBatchHandsBackWhatItHeld() throws Exception {
    publishAll();
    Set<String> done = ConcurrentHashMap.newKeySet();
    dev.dlq.Processor slow = m -> {
      Thread.sleep(10);
      done.add(m.payloadAsString());
      return Outcome.success();
    };
    Source first = closeLater(nats.source(stream, "w").build());
    Worker w1 = Worker.builder(first, slow).sink(nats.store()).concurrency(4).prefetch(32)
        .pollWait(Duration.ofMillis(500)).build().start();
    await(() -> done.size() >= 40, Duration.ofSeconds(30), "the first worker to get going");
    assertThat(w1.shutdown()).as("in-flight work finished, the rest handed back").isTrue();
    first.close(); // hands back what it read ahead
    int byFirst = done.size();
    assertThat(byFirst).isLessThan(N);

    Source second = closeLater(nats.source(stream, "w").build());
    closeLater(Worker.builder(second, slow).sink(nats.store()).concurrency(4).pollWait(Duration.ofMillis(500))
        .build()).start();
    await(() -> done.size() == N, Duration.ofSeconds(60), "every message processed");
    awaitDrained("w", Duration.ofSeconds(30));
    assertThat(nats.store().count(DeadLetterFilter.all())).isZero();
  }

  @Test
  void messagesHeldByACrashedWorkerComeBackAfterTheAckWait() throws Exception {
    publishAll();
    Set<String> done = ConcurrentHashMap.newKeySet();
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch stuck = new CountDownLatch(8);
    // the "crashed" worker: its own connection, its processors hang, then the connection dies without a word
    Connection doomed = NatsTestServer.connect();
    JetStreamDlq doomedNats = closeLater(JetStreamDlq.builder(prefix).connection(doomed).build());
    Source crashing = doomedNats.source(stream, "w").ackWait(Duration.ofSeconds(2)).backstop(false).build();
    Worker w1 = Worker.builder(crashing, m -> {
      stuck.countDown();
      never.await();
      return Outcome.success();
    }).sink(nats.store()).concurrency(8).prefetch(24).pollWait(Duration.ofMillis(500))
        .shutdownTimeout(Duration.ZERO).build().start();
    assertThat(stuck.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    doomed.close(); // kill -9 as far as the server can tell: no acks, no naks
    dev.dlq.Processor ok = m -> {
      done.add(m.payloadAsString());
      return Outcome.success();
    };
    Source second = closeLater(nats.source(stream, "w").ackWait(Duration.ofSeconds(2))
        .build());
    closeLater(Worker.builder(second, ok).sink(nats.store()).concurrency(4).pollWait(Duration.ofMillis(500)).build())
        .start();
    await(() -> done.size() == N, Duration.ofSeconds(90), "every message, the held ones after their ack wait");
    never.countDown();
    w1.shutdown();
    awaitDrained("w", Duration.ofSeconds(30));
  }
}
