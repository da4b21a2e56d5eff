package dev.dlq.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A message whose workers crash on it every time is dead-lettered as LEASE_EXPIRED (DESIGN §5.3). */
class BackstopIT extends NatsITBase {

  @Test
  void messageThatRanOutOfDeliveriesIsDeadLetteredOnce() throws Exception {
    long seq = publish("crash", "kills the worker".getBytes(StandardCharsets.UTF_8), Map.of("tenant", "acme"));
    extraStreams.add("DLQ_MAXDELIVER_" + stream + "_w");
    Source source = closeLater(nats.source(stream, "w").ackWait(Duration.ofSeconds(1)).maxDeliver(2).build());
    dev.dlq.contract.CountingObserver counts = new dev.dlq.contract.CountingObserver();
    source.open(dev.dlq.contract.TestContext.of(source, nats.store()).withObserver(counts));
    String messageId = stream + ":" + seq;
    String id = dev.dlq.DeadLetter.idFor(dev.dlq.SourceRef.of("nats", subject("crash")), messageId);

    // a worker that takes the message and dies each time: it never settles what it polled
    List<Integer> attempts = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Optional<StoredDeadLetter> dead = Optional.empty();
    while (dead.isEmpty() && System.nanoTime() < deadline) {
      for (Delivery d : source.poll(10, Duration.ofMillis(300))) {
        attempts.add(d.message().attempt());
      }
      dead = nats.store().get(id);
    }

    assertThat(dead).as("dead-lettered by the backstop").isPresent();
    assertThat(attempts).containsExactly(1, 2);
    StoredDeadLetter s = dead.get();
    assertThat(s.deadLetter().reason()).isEqualTo(DeadLetterReason.LEASE_EXPIRED);
    assertThat(s.deadLetter().errorClass()).isEqualTo(ErrorClass.SYSTEM_ERROR);
    assertThat(s.deadLetter().errorType()).isEqualTo("lease-expired");
    assertThat(s.deadLetter().attempts()).isEqualTo(2);
    assertThat(s.deadLetter().message().id()).isEqualTo(messageId);
    assertThat(s.deadLetter().message().payloadAsString()).isEqualTo("kills the worker");
    assertThat(s.deadLetter().message().headers()).containsEntry("tenant", "acme");
    assertThat(counts.deadLetteredTotal()).isEqualTo(1);
    assertThat(source.poll(10, Duration.ofSeconds(2))).as("no further deliveries").isEmpty();
    assertThat(counts.deadLetteredTotal()).isEqualTo(1);
    assertThat(dlqMessages()).isEqualTo(1);
  }
}
