package dev.dlq.postgres.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterStatus;
import dev.dlq.Message;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.SourceRef;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Broke: a Replayer throwing a RuntimeException escaped replay() and aborted the rest of the batch. */
class AFailingReplayerSkipsOnlyItsDeadLetterIT {
  @Test
  void theOthersAreStillReplayed() {
    TestDatabase db = TestDatabase.get();
    String schema = db.migratedSchema("reg_replayer");
    PostgresDeadLetterStore store = PostgresDeadLetterStore.builder(db.dataSource()).schema(schema)
        .replayer("nats", (s, replayId, tx) -> {
          if (s.deadLetter().message().id().equals("bad")) {
            throw new IllegalStateException("no route");
          }
        }).build();
    DeadLetter bad = DeadLetter.builder(Message.of("bad", "t", new byte[] {1}, SourceRef.of("nats", "a.b"), 1,
        Instant.now())).build();
    DeadLetter good = DeadLetter.builder(Message.of("good", "t", new byte[] {1}, SourceRef.of("nats", "a.b"), 1,
        Instant.now())).build();
    store.record(bad);
    store.record(good);
    ReplayResult r = store.replay(ReplayRequest.ofIds(List.of(bad.id(), good.id()), "ops"));
    assertThat(r.replayed()).isEqualTo(1);
    assertThat(r.skipped()).containsExactly(bad.id());
    assertThat(store.get(bad.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
    assertThat(store.get(good.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.REPLAYED);
  }
}
