package dev.dlq.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.SourceRef;
import dev.dlq.spi.DeadLetterStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One dead letter per dead message, however often it is published (DESIGN §5.2). */
class DedupIT extends NatsITBase {

  private DeadLetter deadLetter(String messageId) {
    Message m = new Message(messageId, "order", "{\"id\":7}".getBytes(StandardCharsets.UTF_8), Map.of("k", "v"),
        SourceRef.of("nats", subject("order")), 3, Instant.parse("2026-01-01T00:00:00Z"));
    return DeadLetter.builder(m).errorClass(ErrorClass.SYSTEM_ERROR).errorType("java.lang.IllegalStateException")
        .errorMessage("boom").reason(DeadLetterReason.EXHAUSTED).workerId("w").build();
  }

  @Test
  void aDoublePublishOfOneDeathIsDroppedAndCountedOnce() throws Exception {
    DeadLetterStore store = nats.store();
    DeadLetter dl = deadLetter("m-1");
    assertThat(store.record(dl)).isEqualTo(RecordResult.CREATED);
    assertThat(store.record(dl)).isEqualTo(RecordResult.ALREADY_RECORDED);
    assertThat(dlqMessages()).isEqualTo(1);

    // the state write of a first publish was lost (a crash between publish and state): the second
    // publish carries the same Nats-Msg-Id, JetStream drops it, and the state points at the first message
    DeadLetter other = deadLetter("m-2");
    conn.jetStream().publish(io.nats.client.impl.NatsMessage.builder().subject(prefix + ".dlq.order")
        .headers(dev.dlq.nats.internal.TestAccess.headers(other)).data(other.message().payload()).build(),
        io.nats.client.PublishOptions.builder().messageId(other.id()).build());
    assertThat(dlqMessages()).isEqualTo(2);
    assertThat(store.record(other)).isEqualTo(RecordResult.CREATED);
    assertThat(dlqMessages()).as("the duplicate publish was dropped").isEqualTo(2);
    assertThat(store.get(other.id())).isPresent();
  }

  @Test
  void racingRecordsOfOneDeathMakeOneRecord() throws Exception {
    DeadLetterStore store = nats.store();
    DeadLetter dl = deadLetter("m-race");
    int racers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<RecordResult>> results = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      results.add(pool.submit(() -> {
        go.await();
        return store.record(dl);
      }));
    }
    go.countDown();
    int created = 0;
    for (Future<RecordResult> f : results) {
      if (f.get() == RecordResult.CREATED) {
        created++;
      } else {
        assertThat(f.get()).isEqualTo(RecordResult.ALREADY_RECORDED);
      }
    }
    pool.shutdown();
    assertThat(created).isEqualTo(1);
    assertThat(dlqMessages()).isEqualTo(1);
  }
}
