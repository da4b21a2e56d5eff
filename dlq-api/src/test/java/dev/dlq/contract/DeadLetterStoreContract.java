package dev.dlq.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStats;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.Page;
import dev.dlq.RecordResult;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.SourceRef;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.DeadLetterStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeadLetterStore} must do. Subclass it per backend: {@link #newStore()} returns an
 * empty store, {@link #replayTarget()} a destination replays can reach, {@link #takeReplayed} reads a
 * replayed message back from it.
 */
public abstract class DeadLetterStoreContract {
  protected DeadLetterStore store;
  private SourceRef target;

  /** A new, empty store. */
  protected abstract DeadLetterStore newStore() throws Exception;

  /** A fresh destination that replays of this store's dead letters can reach. */
  protected abstract SourceRef replayTarget() throws Exception;

  /** Takes the next message replayed to {@code target}, waiting up to {@code wait}. */
  protected abstract Optional<Message> takeReplayed(SourceRef target, Duration wait) throws Exception;

  /** The longest the contract waits for a replayed message. */
  protected Duration patience() {
    return Duration.ofSeconds(10);
  }

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    target = replayTarget();
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  protected DeadLetter deadLetter(String type, ErrorClass errorClass, Instant deadAt) {
    return deadLetter(UUID.randomUUID().toString(), type, errorClass, deadAt);
  }

  protected DeadLetter deadLetter(String messageId, String type, ErrorClass errorClass, Instant deadAt) {
    byte[] payload = new byte[300];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 7);
    }
    Message m = new Message(messageId, type, payload, Map.of("tenant", "acme", "x-trace", "abc"), target, 3,
        deadAt.minusSeconds(60));
    return DeadLetter.builder(m).errorClass(errorClass).errorType("java.io.IOException").errorMessage("boom 42")
        .stackTrace("java.io.IOException: boom 42\n\tat a.B.c(B.java:1)\n").attempts(3).maxAttempts(3)
        .deadAt(deadAt).lastFailureAt(deadAt).firstFailureAt(deadAt.minusSeconds(30)).workerId("w-1")
        .reason(DeadLetterReason.EXHAUSTED).fingerprint("fp-" + type).build();
  }

  @Test
  void recordingTheSameDeathTwiceKeepsOneRecord() {
    DeadLetter dl = deadLetter("order", ErrorClass.SYSTEM_ERROR, T0);
    assertThat(store.record(dl)).isEqualTo(RecordResult.CREATED);
    assertThat(store.record(dl)).isEqualTo(RecordResult.ALREADY_RECORDED);
    assertThat(store.count(DeadLetterFilter.all())).isEqualTo(1);
  }

  @Test
  void getReturnsEveryFieldWithThePayloadByteExact() {
    DeadLetter dl = deadLetter("order", ErrorClass.SYSTEM_ERROR, T0);
    store.record(dl);
    StoredDeadLetter got = store.get(dl.id()).orElseThrow();
    DeadLetter back = got.deadLetter();
    assertThat(back.message().payload()).isEqualTo(dl.message().payload());
    assertThat(back.message().headers()).containsAllEntriesOf(dl.message().headers());
    assertThat(back.message().id()).isEqualTo(dl.message().id());
    assertThat(back.message().type()).isEqualTo("order");
    assertThat(back.errorClass()).isEqualTo(ErrorClass.SYSTEM_ERROR);
    assertThat(back.errorType()).isEqualTo("java.io.IOException");
    assertThat(back.errorMessage()).isEqualTo("boom 42");
    assertThat(back.reason()).isEqualTo(DeadLetterReason.EXHAUSTED);
    assertThat(back.attempts()).isEqualTo(3);
    assertThat(back.deadAt()).isEqualTo(T0);
    assertThat(back.fingerprint()).isEqualTo("fp-order");
    assertThat(got.status()).isEqualTo(DeadLetterStatus.PENDING);
    assertThat(got.deathCount()).isEqualTo(1);
    assertThat(store.get(UUID.randomUUID().toString())).isEmpty();
  }

  @Test
  void findPagesNewestFirstWithoutGapsOrRepeats() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      DeadLetter dl = deadLetter("order", ErrorClass.RECOVERABLE, T0.plusSeconds(i));
      store.record(dl);
      expected.add(0, dl.id());
    }
    List<String> seen = new ArrayList<>();
    DeadLetterQuery q = DeadLetterQuery.of(DeadLetterFilter.all(), 10);
    int pages = 0;
    while (true) {
      Page<StoredDeadLetter> page = store.find(q);
      pages++;
      page.items().forEach(s -> seen.add(s.id()));
      if (page.nextCursor().isEmpty()) {
        break;
      }
      q = q.after(page.nextCursor().get());
      assertThat(pages).as("pagination must end").isLessThan(10);
    }
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void filtersCombine() {
    store.record(deadLetter("order", ErrorClass.RECOVERABLE, T0));
    store.record(deadLetter("order", ErrorClass.USER_ERROR, T0.plusSeconds(1)));
    store.record(deadLetter("invoice", ErrorClass.USER_ERROR, T0.plusSeconds(2)));
    DeadLetterFilter f = DeadLetterFilter.builder().type("order").errorClass(ErrorClass.USER_ERROR).build();
    assertThat(store.count(f)).isEqualTo(1);
    assertThat(store.find(DeadLetterQuery.of(f, 10)).items()).singleElement()
        .satisfies(s -> assertThat(s.deadLetter().deadAt()).isEqualTo(T0.plusSeconds(1)));
    DeadLetterFilter window = DeadLetterFilter.builder().deadFrom(T0.plusSeconds(1)).deadBefore(T0.plusSeconds(2)).build();
    assertThat(store.count(window)).isEqualTo(1);
  }

  private DeadLetter withPayload(String type, String payload, Instant deadAt) {
    DeadLetter base = deadLetter(type, ErrorClass.USER_ERROR, deadAt);
    Message m = base.message();
    return DeadLetter.builder(new Message(m.id(), type, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        m.headers(), m.source(), m.attempt(), m.firstSeen())).errorType("x").deadAt(deadAt).fingerprint("fp-" + type).build();
  }

  @Test
  void payloadFieldsAndSubstringsAreSearchedWithTheOtherFilters() {
    DeadLetter a = withPayload("order", "{\"customer\":{\"id\":42,\"tier\":\"gold\"},\"note\":\"rush delivery\"}", T0);
    DeadLetter b = withPayload("order", "{\"customer\":{\"id\":\"42\"},\"note\":\"normal\"}", T0.plusSeconds(1));
    DeadLetter c = withPayload("order", "{\"customer\":{\"id\":7},\"flag\":true,\"gone\":null}", T0.plusSeconds(2));
    DeadLetter d = withPayload("invoice", "{\"customer\":{\"id\":42.0}}", T0.plusSeconds(3));
    DeadLetter e = withPayload("order", "not json {customer.id=42} rush", T0.plusSeconds(4));
    DeadLetter f = withPayload("order", "[{\"customer\":{\"id\":42}}]", T0.plusSeconds(5));
    for (DeadLetter dl : List.of(a, b, c, d, e, f)) {
      store.record(dl);
    }
    store.record(deadLetter("order", ErrorClass.USER_ERROR, T0.plusSeconds(6))); // binary payload

    assertThat(ids(DeadLetterFilter.builder().payloadField("customer.id", "42").build()))
        .as("number and string, 42.0 equal to 42; not text, not a root array").containsExactlyInAnyOrder(a.id(), b.id(), d.id());
    assertThat(ids(DeadLetterFilter.builder().payloadField("customer.id", "42").type("order").build()))
        .containsExactlyInAnyOrder(a.id(), b.id());
    assertThat(ids(DeadLetterFilter.builder().payloadField("customer.id", "42").payloadField("customer.tier", "gold").build()))
        .containsExactly(a.id());
    assertThat(ids(DeadLetterFilter.builder().payloadField("customer.tier", "gold").payloadField("customer.id", "7").build()))
        .isEmpty();
    assertThat(ids(DeadLetterFilter.builder().payloadField("flag", "true").build())).containsExactly(c.id());
    assertThat(ids(DeadLetterFilter.builder().payloadField("gone", "null").build())).containsExactly(c.id());
    assertThat(ids(DeadLetterFilter.builder().payloadField("flag", "yes").build())).isEmpty();
    assertThat(ids(DeadLetterFilter.builder().payloadField("customer", "42").build())).as("an object is not a value").isEmpty();
    assertThat(ids(DeadLetterFilter.builder().payloadField("it's \"odd\"", "x'); DROP TABLE x; --").build())).isEmpty();

    assertThat(ids(DeadLetterFilter.builder().payloadContains("rush").build())).containsExactlyInAnyOrder(a.id(), e.id());
    assertThat(ids(DeadLetterFilter.builder().payloadContains("Rush").build())).as("case-sensitive").isEmpty();
    assertThat(ids(DeadLetterFilter.builder().payloadContains("rush").deadFrom(T0.plusSeconds(1)).build()))
        .containsExactly(e.id());
    assertThat(ids(DeadLetterFilter.builder().payloadContains("rush").payloadField("customer.id", "42").build()))
        .containsExactly(a.id());
    assertThat(store.count(DeadLetterFilter.builder().payloadContains("ru%h").build())).as("no wildcards").isZero();
    assertThat(store.stats(DeadLetterFilter.builder().payloadField("customer.id", "42").build()).byType())
        .containsEntry("order", 2L).containsEntry("invoice", 1L);
    List<StoredDeadLetter> exported = new ArrayList<>();
    store.export(DeadLetterFilter.builder().payloadContains("normal").build(), exported::add);
    assertThat(exported).extracting(StoredDeadLetter::id).containsExactly(b.id());
    DeadLetterQuery first = DeadLetterQuery.of(DeadLetterFilter.builder().payloadField("customer.id", "42").build(), 2);
    Page<StoredDeadLetter> p1 = store.find(first);
    assertThat(p1.items()).extracting(StoredDeadLetter::id).containsExactly(d.id(), b.id());
    assertThat(store.find(first.after(p1.nextCursor().orElseThrow())).items()).extracting(StoredDeadLetter::id)
        .containsExactly(a.id());
  }

  private List<String> ids(DeadLetterFilter f) {
    List<String> out = new ArrayList<>();
    store.find(DeadLetterQuery.of(f, 100)).items().forEach(s -> out.add(s.id()));
    assertThat(store.count(f)).isEqualTo(out.size());
    return out;
  }

  @Test
  void malformedCursorIsRejected() {
    assertThatThrownBy(() -> store.find(DeadLetterQuery.of(DeadLetterFilter.all(), 10).after("not-a-cursor!")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void statsCountByTypeClassAndHour() {
    store.record(deadLetter("order", ErrorClass.RECOVERABLE, T0));
    store.record(deadLetter("order", ErrorClass.USER_ERROR, T0.plusSeconds(1)));
    store.record(deadLetter("invoice", ErrorClass.USER_ERROR, T0.plus(2, ChronoUnit.HOURS)));
    DeadLetterStats stats = store.stats(DeadLetterFilter.all());
    assertThat(stats.total()).isEqualTo(3);
    assertThat(stats.byType()).containsEntry("order", 2L).containsEntry("invoice", 1L);
    assertThat(stats.byErrorClass()).containsEntry(ErrorClass.USER_ERROR, 2L).containsEntry(ErrorClass.RECOVERABLE, 1L);
    assertThat(stats.byHour()).containsEntry(T0, 2L).containsEntry(T0.plus(2, ChronoUnit.HOURS), 1L);
  }

  @Test
  void replaySendsTheExactMessageBackOnceAndRecordsIt() throws Exception {
    DeadLetter dl = deadLetter("order", ErrorClass.RECOVERABLE, T0);
    store.record(dl);

    ReplayResult first = store.replay(ReplayRequest.ofIds(List.of(dl.id()), "alice"));
    ReplayResult second = store.replay(ReplayRequest.ofIds(List.of(dl.id()), "bob"));

    assertThat(first.replayed()).isEqualTo(1);
    assertThat(second.replayed()).isZero();
    assertThat(second.skipped()).containsExactly(dl.id());
    Message back = takeReplayed(target, patience()).orElseThrow();
    assertThat(back.id()).isEqualTo(dl.message().id());
    assertThat(back.payload()).isEqualTo(dl.message().payload());
    assertThat(back.headers()).containsAllEntriesOf(dl.message().headers());
    assertThat(back.attempt()).as("fresh attempt budget").isEqualTo(1);
    assertThat(takeReplayed(target, Duration.ofSeconds(1))).as("sent once").isEmpty();
    StoredDeadLetter s = store.get(dl.id()).orElseThrow();
    assertThat(s.status()).isEqualTo(DeadLetterStatus.REPLAYED);
    assertThat(s.replayCount()).isEqualTo(1);
    assertThat(s.lastReplayId()).contains(first.replayId());
    assertThat(s.lastReplayBy()).contains("alice");
  }

  @Test
  void racingReplaysSendOnce() throws Exception {
    DeadLetter dl = deadLetter("order", ErrorClass.RECOVERABLE, T0);
    store.record(dl);
    int racers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ReplayResult>> results = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      String who = "op-" + i;
      results.add(pool.submit(() -> {
        go.await();
        return store.replay(ReplayRequest.ofIds(List.of(dl.id()), who));
      }));
    }
    go.countDown();
    int sent = 0;
    for (Future<ReplayResult> f : results) {
      sent += f.get().replayed();
    }
    pool.shutdown();
    assertThat(sent).isEqualTo(1);
    assertThat(takeReplayed(target, patience())).isPresent();
    assertThat(takeReplayed(target, Duration.ofSeconds(1))).isEmpty();
  }

  @Test
  void aReplayedMessageThatDiesAgainReopensItsRecord() throws Exception {
    DeadLetter dl = deadLetter("order", ErrorClass.RECOVERABLE, T0);
    store.record(dl);
    store.replay(ReplayRequest.ofIds(List.of(dl.id()), "alice"));
    takeReplayed(target, patience()).orElseThrow();

    DeadLetter again = deadLetter(dl.message().id(), "order", ErrorClass.SYSTEM_ERROR, T0.plusSeconds(600));
    assertThat(again.id()).isEqualTo(dl.id());
    assertThat(store.record(again)).isEqualTo(RecordResult.REOPENED);

    StoredDeadLetter s = store.get(dl.id()).orElseThrow();
    assertThat(s.status()).isEqualTo(DeadLetterStatus.PENDING);
    assertThat(s.deathCount()).isEqualTo(2);
    assertThat(s.replayCount()).isEqualTo(1);
    assertThat(s.deadLetter().errorClass()).isEqualTo(ErrorClass.SYSTEM_ERROR);
    assertThat(store.count(DeadLetterFilter.all())).isEqualTo(1);
  }

  @Test
  void dryRunCountsAndChangesNothing() throws Exception {
    store.record(deadLetter("order", ErrorClass.RECOVERABLE, T0));
    store.record(deadLetter("order", ErrorClass.RECOVERABLE, T0.plusSeconds(1)));
    ReplayResult r = store.replay(ReplayRequest.ofFilter(DeadLetterFilter.builder().type("order").build(), "alice").asDryRun());
    assertThat(r.matched()).isEqualTo(2);
    assertThat(r.replayed()).isZero();
    assertThat(r.dryRun()).isTrue();
    assertThat(store.count(DeadLetterFilter.builder().status(DeadLetterStatus.PENDING).build())).isEqualTo(2);
    assertThat(takeReplayed(target, Duration.ofSeconds(1))).isEmpty();
  }

  @Test
  void resolveAndDiscardMoveStatusAndUnknownIdsChangeNothing() {
    DeadLetter a = deadLetter("order", ErrorClass.RECOVERABLE, T0);
    DeadLetter b = deadLetter("order", ErrorClass.RECOVERABLE, T0.plusSeconds(1));
    store.record(a);
    store.record(b);

    assertThatThrownBy(() -> store.resolve(List.of(a.id(), "no-such-id"), "alice", "fixed"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-id");
    assertThat(store.get(a.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);

    assertThat(store.resolve(List.of(a.id()), "alice", "fixed by hand")).isEqualTo(1);
    assertThat(store.discard(List.of(b.id()), "bob", "junk")).isEqualTo(1);
    assertThat(store.get(a.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.RESOLVED);
    assertThat(store.get(b.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.DISCARDED);
  }

  @Test
  void purgeRemovesOnlyOldSettledDeadLetters() {
    DeadLetter oldResolved = deadLetter("order", ErrorClass.RECOVERABLE, T0);
    DeadLetter oldPending = deadLetter("order", ErrorClass.RECOVERABLE, T0.plusSeconds(1));
    DeadLetter newResolved = deadLetter("order", ErrorClass.RECOVERABLE, T0.plus(10, ChronoUnit.DAYS));
    store.record(oldResolved);
    store.record(oldPending);
    store.record(newResolved);
    store.resolve(List.of(oldResolved.id(), newResolved.id()), "alice", "");

    assertThat(store.purge(T0.plus(1, ChronoUnit.DAYS), "alice")).isEqualTo(1);

    assertThat(store.get(oldResolved.id())).isEmpty();
    assertThat(store.get(oldPending.id())).isPresent();
    assertThat(store.get(newResolved.id())).isPresent();
  }

  @Test
  void everyOperatorActionIsAudited() throws Exception {
    DeadLetter a = deadLetter("order", ErrorClass.RECOVERABLE, T0);
    DeadLetter b = deadLetter("order", ErrorClass.RECOVERABLE, T0.plusSeconds(1));
    store.record(a);
    store.record(b);
    store.replay(ReplayRequest.ofIds(List.of(a.id()), "alice"));
    store.discard(List.of(b.id()), "bob", "junk");
    store.purge(T0.minusSeconds(1), "carol");

    List<AuditEntry> audit = store.audit(10);
    assertThat(audit).extracting(AuditEntry::action).contains("replay", "discard", "purge");
    assertThat(audit).filteredOn(e -> e.action().equals("replay")).singleElement()
        .satisfies(e -> {
          assertThat(e.operator()).isEqualTo("alice");
          assertThat(e.count()).isEqualTo(1);
        });
    assertThat(audit).filteredOn(e -> e.action().equals("discard")).singleElement()
        .satisfies(e -> assertThat(e.operator()).isEqualTo("bob"));
  }

  @Test
  void exportStreamsEveryMatch() {
    for (int i = 0; i < 7; i++) {
      store.record(deadLetter(i % 2 == 0 ? "order" : "invoice", ErrorClass.RECOVERABLE, T0.plusSeconds(i)));
    }
    List<StoredDeadLetter> out = new ArrayList<>();
    store.export(DeadLetterFilter.builder().type("order").build(), out::add);
    assertThat(out).hasSize(4).allSatisfy(s -> assertThat(s.deadLetter().message().type()).isEqualTo("order"));
  }
}
