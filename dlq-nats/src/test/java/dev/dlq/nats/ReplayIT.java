package dev.dlq.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStatus;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RecordResult;
import dev.dlq.ReplayRequest;
import dev.dlq.RetryPolicy;
import dev.dlq.StoredDeadLetter;
import dev.dlq.Worker;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.Source;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Replay sends the exact bytes and headers back once with a fresh budget; a second death reopens the record (§5.4). */
class ReplayIT extends NatsITBase {

  @Test
  void replayedMessageComesBackExactAndDyingAgainReopensItsRecord() throws Exception {
    byte[] payload = new byte[256];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    publish("order", payload, Map.of("tenant", "acme", NatsHeaders.NATS_MSG_ID, "order-77"));
    AtomicBoolean broken = new AtomicBoolean(true);
    List<Message> seen = new CopyOnWriteArrayList<>();
    List<RecordResult> deaths = new CopyOnWriteArrayList<>();
    RetryPolicy policy = RetryPolicy.fixed(Duration.ofMillis(100), 2);
    Source source = closeLater(nats.source(stream, "w").build());
    closeLater(Worker.builder(source, m -> {
      seen.add(m);
      if (broken.get()) {
        throw new IllegalStateException("downstream is broken");
      }
      return Outcome.success();
    }).retryPolicy(policy).sink(nats.store()).pollWait(Duration.ofMillis(300)).observer(new DlqObserver() {
      @Override
      public void deadLettered(dev.dlq.DeadLetter deadLetter, RecordResult result, Duration took) {
        deaths.add(result);
      }
    }).build()).start();

    await(() -> deaths.size() == 1, Duration.ofSeconds(30), "the first death");
    StoredDeadLetter dead = nats.store().find(DeadLetterQuery.of(DeadLetterFilter.all(), 10)).items().get(0);
    assertThat(dead.deadLetter().message().id()).isEqualTo("order-77");

    // replay while still broken: it comes back with attempt 1, dies again, and reopens the same record
    seen.clear();
    assertThat(nats.store().replay(ReplayRequest.ofIds(List.of(dead.id()), "alice")).replayed()).isEqualTo(1);
    await(() -> deaths.size() == 2, Duration.ofSeconds(30), "the second death");
    assertThat(deaths).containsExactly(RecordResult.CREATED, RecordResult.REOPENED);
    Message back = seen.get(0);
    assertThat(back.attempt()).as("fresh attempt budget").isEqualTo(1);
    assertThat(back.id()).isEqualTo("order-77");
    assertThat(back.payload()).isEqualTo(payload);
    assertThat(back.headers()).isEqualTo(dead.deadLetter().message().headers());
    assertThat(back.headers()).containsEntry(NatsHeaders.NATS_MSG_ID, "order-77").containsEntry("tenant", "acme");
    StoredDeadLetter again = nats.store().get(dead.id()).orElseThrow();
    assertThat(again.status()).isEqualTo(DeadLetterStatus.PENDING);
    assertThat(again.deathCount()).isEqualTo(2);
    assertThat(again.replayCount()).isEqualTo(1);
    assertThat(nats.store().count(DeadLetterFilter.all())).isEqualTo(1);

    // fixed: the next replay succeeds and the record says REPLAYED
    broken.set(false);
    seen.clear();
    assertThat(nats.store().replay(ReplayRequest.ofIds(List.of(dead.id()), "bob")).replayed()).isEqualTo(1);
    await(() -> seen.size() == 1, Duration.ofSeconds(30), "the successful replay");
    awaitDrained("w", Duration.ofSeconds(30));
    StoredDeadLetter done = nats.store().get(dead.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(DeadLetterStatus.REPLAYED);
    assertThat(done.replayCount()).isEqualTo(2);
    assertThat(done.lastReplayBy()).contains("bob");
    assertThat(deaths).hasSize(2);
  }
}
