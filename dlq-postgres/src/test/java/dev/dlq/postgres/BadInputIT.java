package dev.dlq.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStatus;
import dev.dlq.Message;
import dev.dlq.ReplayRequest;
import dev.dlq.SourceRef;
import dev.dlq.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input to any call gets a clear error and changes nothing. */
class BadInputIT {
  private final TestDatabase db = TestDatabase.get();

  private DeadLetter deadLetter(String id) {
    Message m = Message.of(id, "t", new byte[] {1}, SourceRef.of("postgres", "q"), 1, Instant.parse("2026-01-01T00:00:00Z"));
    return DeadLetter.builder(m).deadAt(Instant.parse("2026-01-01T00:00:01Z")).build();
  }

  @Test
  void unknownIdsChangeNothingAndAreNotAudited() {
    String schema = db.migratedSchema("bad_ids");
    PostgresDeadLetterStore store = PostgresDeadLetterStore.builder(db.dataSource()).schema(schema).build();
    DeadLetter a = deadLetter("m1");
    store.record(a);
    assertThatThrownBy(() -> store.discard(List.of(a.id(), "nope-1", "nope-2"), "alice", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope-1").hasMessageContaining("nope-2")
        .hasMessageContaining("nothing was changed");
    assertThat(store.get(a.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
    assertThat(store.audit(10)).isEmpty();
    assertThatThrownBy(() -> store.resolve(Arrays.asList(a.id(), null), "alice", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ids element");
    assertThatThrownBy(() -> store.resolve(List.of(a.id()), " ", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("operator");
    assertThat(store.get(a.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
  }

  @Test
  void malformedCursorsAndLimitsAreRejected() {
    String schema = db.migratedSchema("bad_cursor");
    PostgresDeadLetterStore store = PostgresDeadLetterStore.builder(db.dataSource()).schema(schema).build();
    assertThatThrownBy(() -> store.find(DeadLetterQuery.of(DeadLetterFilter.all(), 10).after("%%%")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
    assertThatThrownBy(() -> store.find(DeadLetterQuery.of(DeadLetterFilter.all(), 10).after("bm90LWEtY3Vyc29y")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.audit(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> store.get(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replayOfUnknownIdsSkipsThemAndStillAudits() {
    String schema = db.migratedSchema("bad_replay");
    PostgresDeadLetterStore store = PostgresDeadLetterStore.builder(db.dataSource()).schema(schema).build();
    var r = store.replay(ReplayRequest.ofIds(List.of("ghost"), "alice"));
    assertThat(r.replayed()).isZero();
    assertThat(r.skipped()).containsExactly("ghost");
    assertThat(store.audit(5)).singleElement().extracting(AuditEntry::count).isEqualTo(0L);
  }

  @Test
  void badArgumentsToTheQueueAreRejected() {
    String schema = db.migratedSchema("bad_queue");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "q").schema(schema).build();
    assertThatThrownBy(() -> PostgresQueue.builder(db.dataSource(), " ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("queue");
    assertThatThrownBy(() -> PostgresQueue.builder(db.dataSource(), "q").schema("1abc"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
    assertThatThrownBy(() -> PostgresQueue.builder(db.dataSource(), "q").lease(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease must be > 0");
    assertThatThrownBy(() -> q.enqueue("", new byte[0], Map.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type");
    assertThatThrownBy(() -> q.enqueue("t", null, Map.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("payload");
    assertThatThrownBy(() -> q.enqueue("t", new byte[0], Map.of("a\0b", "v")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    assertThatThrownBy(() -> q.enqueueBatch(Arrays.asList(NewTask.of("t", new byte[0]), null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
    assertThat(q.claim("x", "w", Duration.ofSeconds(1))).isEmpty();
    assertThatThrownBy(() -> q.claim("x", "w", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> q.fail("x", " ", Duration.ZERO, null)).isInstanceOf(IllegalArgumentException.class);
    try (var s = q.source()) {
      assertThat(s.poll(10, Duration.ZERO)).as("the failed batch enqueued nothing").isEmpty();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aSchemaThatWasNeverMigratedGivesAClearError() {
    String schema = db.freshSchema("unmigrated");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "q").schema(schema).build();
    assertThatThrownBy(() -> q.enqueue("t", new byte[0], Map.of())).isInstanceOf(dev.dlq.DlqException.class)
        .hasMessageContaining("could not enqueue").hasMessageContaining("does not exist");
  }
}
