package dev.dlq.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterStatus;
import dev.dlq.contract.CountingObserver;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RecordResult;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.RetryPolicy;
import dev.dlq.SourceRef;
import dev.dlq.StoredDeadLetter;
import dev.dlq.Worker;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Replay end to end through a worker, lineage, and replays that must not happen. */
class ReplayIT {
  private final TestDatabase db = TestDatabase.get();

  @Test
  void aReplayedTaskRunsAgainWithAFreshBudgetAndDyingAgainReopensItsRecord() throws Exception {
    String schema = db.migratedSchema("replay");
    CountingObserver metrics = new CountingObserver();
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "orders").schema(schema).observer(metrics).build();
    PostgresDeadLetterStore store = q.deadLetterStore();
    AtomicBoolean broken = new AtomicBoolean(true);
    List<Message> seen = new CopyOnWriteArrayList<>();
    byte[] payload = {(byte) 0xca, (byte) 0xfe, 0, 1};
    String id = q.enqueue("order", payload, Map.of("tenant", "acme", "trace", "t-9"));
    try (Source source = q.source();
        Worker w = Worker.builder(source, m -> {
          seen.add(m);
          if (broken.get()) {
            throw new IllegalStateException("downstream down");
          }
          return Outcome.success();
        }).sink(store).observer(metrics).retryPolicy(RetryPolicy.fixed(Duration.ZERO, 2)).concurrency(2).build().start()) {
      String dlId = DeadLetter.idFor(q.sourceRef(), id);
      Poll.until("first death", Duration.ofSeconds(30), () -> store.get(dlId).isPresent());

      ReplayResult r = store.replay(ReplayRequest.ofIds(List.of(dlId), "alice"));
      assertThat(r.replayed()).isEqualTo(1);
      Poll.until("second death", Duration.ofSeconds(30),
          () -> store.get(dlId).map(s -> s.deathCount() == 2).orElse(false));
      StoredDeadLetter again = store.get(dlId).orElseThrow();
      assertThat(again.status()).isEqualTo(DeadLetterStatus.PENDING);
      assertThat(again.replayCount()).isEqualTo(1);
      assertThat(again.lastReplayId()).contains(r.replayId());
      assertThat(again.lastReplayBy()).contains("alice");
      assertThat(seen).extracting(Message::attempt).containsExactly(1, 2, 1, 2);
      assertThat(seen).allSatisfy(m -> {
        assertThat(m.id()).isEqualTo(id);
        assertThat(m.payload()).isEqualTo(payload);
        assertThat(m.headers()).isEqualTo(Map.of("tenant", "acme", "trace", "t-9"));
      });
      Poll.until("both deaths counted", Duration.ofSeconds(10), () -> metrics.deadLetteredTotal() == 2);

      broken.set(false);
      ReplayResult r2 = store.replay(ReplayRequest.ofFilter(DeadLetterFilter.builder().type("order").build(), "bob"));
      assertThat(r2.replayed()).isEqualTo(1);
      Poll.until("replay succeeded", Duration.ofSeconds(30), () -> metrics.messages("success") == 1);
      assertThat(store.get(dlId).orElseThrow().status()).isEqualTo(DeadLetterStatus.REPLAYED);
      assertThat(store.replays(dlId)).extracting(AuditEntry::operator).containsExactly("alice", "bob");
    }
  }

  @Test
  void aDeadLetterWhoseTaskIsLiveAgainIsNotReplayed() throws Exception {
    String schema = db.migratedSchema("replay_live");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "orders").schema(schema).build();
    PostgresDeadLetterStore store = q.deadLetterStore();
    String id = q.enqueue(NewTask.of("order", new byte[] {1}).withId("o-1"));
    Message m = Message.of(id, "order", new byte[] {1}, q.sourceRef(), 1, Instant.now());
    DeadLetter dl = DeadLetter.builder(m).build();
    assertThat(store.record(dl)).isEqualTo(RecordResult.CREATED);
    ReplayResult r = store.replay(ReplayRequest.ofIds(List.of(dl.id()), "alice"));
    assertThat(r.replayed()).isZero();
    assertThat(r.skipped()).containsExactly(dl.id());
    assertThat(store.get(dl.id()).orElseThrow().status()).as("rolled back").isEqualTo(DeadLetterStatus.PENDING);
  }

  @Test
  void otherBackendsReplayThroughTheirReplayerInTheSameTransaction() throws Exception {
    String schema = db.migratedSchema("replay_other");
    List<String> sent = new CopyOnWriteArrayList<>();
    PostgresDeadLetterStore store = PostgresDeadLetterStore.builder(db.dataSource()).schema(schema)
        .replayer("sqs", (s, replayId, tx) -> {
          if (s.deadLetter().message().type().equals("refuse")) {
            throw new IllegalStateException("queue unavailable");
          }
          sent.add(s.deadLetter().message().id() + "@" + s.deadLetter().message().source().destination());
        }).build();
    DeadLetter viaSqs = DeadLetter.builder(Message.of("m1", "ok", new byte[] {1}, SourceRef.of("sqs", "https://q/1"), 1,
        Instant.now())).build();
    DeadLetter refused = DeadLetter.builder(Message.of("m2", "refuse", new byte[] {1}, SourceRef.of("sqs", "https://q/1"),
        1, Instant.now())).build();
    DeadLetter viaNats = DeadLetter.builder(Message.of("m3", "ok", new byte[] {1}, SourceRef.of("nats", "a.b"), 1,
        Instant.now())).build();
    store.record(viaSqs);
    store.record(refused);
    store.record(viaNats);
    ReplayResult r = store.replay(ReplayRequest.ofIds(List.of(viaSqs.id(), refused.id(), viaNats.id()), "ops"));
    assertThat(r.replayed()).isEqualTo(1);
    assertThat(r.skipped()).containsExactlyInAnyOrder(refused.id(), viaNats.id());
    assertThat(sent).containsExactly("m1@https://q/1");
    assertThat(store.get(refused.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
    assertThat(store.get(viaNats.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
    assertThat(store.get(viaSqs.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.REPLAYED);
  }
}
