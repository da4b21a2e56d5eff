package dev.dlq.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.FailureGroup;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.ReplayFate;
import dev.dlq.ReplayJob;
import dev.dlq.ReplayJob.State;
import dev.dlq.ReplayPlan;
import dev.dlq.ReplayRunner;
import dev.dlq.SourceRef;
import dev.dlq.spi.ReplayStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link ReplayRunner} must do over every {@link ReplayStore}: snapshot, dry run, canary, ramp,
 * automatic stop on deaths, pause, resume, cancel, crash recovery without double sends, failure
 * groups. Time is a {@link FakeTime}: no test waits for a ramp. Subclass it per backend.
 */
public abstract class ReplayRunnerContract {
  private static final Instant T0 = Instant.parse("2026-02-01T08:00:00Z");

  protected ReplayStore store;
  protected FakeTime time;
  protected ReplayRunner runner;
  private SourceRef target;
  private int seq;

  /** A new, empty store. */
  protected abstract ReplayStore newStore() throws Exception;

  /** A fresh destination that replays of this store's dead letters can reach. */
  protected abstract SourceRef replayTarget() throws Exception;

  /** Takes the next message replayed to {@code target}, waiting up to {@code wait}. */
  protected abstract Optional<Message> takeReplayed(SourceRef target, Duration wait) throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    target = replayTarget();
    time = new FakeTime();
    runner = newRunner(store);
  }

  @AfterEach
  void close() {
    runner.close();
    if (store != null) {
      store.close();
    }
  }

  private ReplayRunner newRunner(ReplayStore s) {
    return ReplayRunner.builder(s).clock(time).sleeper(time).build();
  }

  protected DeadLetter deadLetter(String messageId, String type, String fingerprint, Instant deadAt) {
    Message m = new Message(messageId, type, ("payload " + messageId).getBytes(), Map.of("k", "v"), target, 3,
        deadAt.minusSeconds(60));
    return DeadLetter.builder(m).errorClass(ErrorClass.SYSTEM_ERROR).errorType("java.io.IOException")
        .errorMessage("down " + messageId).attempts(3).maxAttempts(3).deadAt(deadAt).workerId("w")
        .reason(DeadLetterReason.EXHAUSTED).fingerprint(fingerprint).build();
  }

  /** Records {@code n} dead letters of {@code type} in group {@code fp}, oldest first; returns their ids. */
  private List<DeadLetter> record(int n, String type, String fp) {
    List<DeadLetter> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      DeadLetter dl = deadLetter(UUID.randomUUID().toString(), type, fp, T0.plusSeconds(seq++));
      assertThat(store.record(dl)).isEqualTo(RecordResult.CREATED);
      out.add(dl);
    }
    return out;
  }

  /** Takes every replayed message, then checks that no more come; returns message id -> times received. */
  private Map<String, Integer> drain(int expected) throws Exception {
    Map<String, Integer> got = new HashMap<>();
    for (int i = 0; i < expected; i++) {
      Message m = takeReplayed(target, Duration.ofSeconds(10)).orElseThrow(() -> new AssertionError("a replay is missing"));
      got.merge(m.id(), 1, Integer::sum);
    }
    assertThat(takeReplayed(target, Duration.ofMillis(700))).as("nothing sent twice").isEmpty();
    return got;
  }

  private ReplayPlan.Builder plan() {
    return ReplayPlan.builder("alice").canaryWait(Duration.ofSeconds(30)).stepDuration(Duration.ofSeconds(10));
  }

  private void dieAgain(String id) {
    DeadLetter old = store.get(id).orElseThrow().deadLetter();
    store.record(deadLetter(old.message().id(), old.message().type(), old.fingerprint(), old.deadAt().plusSeconds(3600)));
  }

  @Test
  void theDryRunSnapshotsCountsAndSendsNothingAndTheRunReplaysExactlyTheSnapshot() throws Exception {
    List<DeadLetter> orders = record(4, "order", "fp-a");
    record(2, "invoice", "fp-b");
    ReplayJob plan = runner.prepare(plan().filter(DeadLetterFilter.builder().type("order").build()).build());
    assertThat(plan.state()).isEqualTo(State.PLANNED);
    assertThat(plan.total()).isEqualTo(4);
    assertThat(runner.ids(plan.id(), 0, 10)).as("oldest first")
        .containsExactlyElementsOf(orders.stream().map(DeadLetter::id).toList());
    assertThat(store.count(DeadLetterFilter.builder().status(DeadLetterStatus.PENDING).build())).isEqualTo(6);

    DeadLetter late = record(1, "order", "fp-a").get(0); // after the operator looked: not in the snapshot
    ReplayJob done = runner.run(plan.id());

    assertThat(done.state()).isEqualTo(State.COMPLETED);
    assertThat(done.sent()).isEqualTo(4);
    assertThat(done.pending()).isZero();
    assertThat(drain(4)).containsOnlyKeys(orders.stream().map(d -> d.message().id()).toList()).containsValues(1);
    assertThat(store.get(late.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
    assertThat(store.get(orders.get(0).id()).orElseThrow().lastReplayId()).contains(plan.id());
    assertThat(store.get(orders.get(0).id()).orElseThrow().replayFate()).isEqualTo(ReplayFate.REPLAYED);
    assertThat(runner.job(plan.id()).orElseThrow().state()).isEqualTo(State.COMPLETED);
    assertThat(runner.jobs(10)).extracting(ReplayJob::id).contains(plan.id());
    assertThat(store.audit(10)).extracting(e -> e.action()).contains("replay-plan", "replay-start", "replay");
  }

  @Test
  void theCanaryGoesAloneThenTheRateRamps() throws Exception {
    record(40, "order", "fp-a");
    ReplayJob plan = runner.prepare(plan().maxRate(5).canary(1).build());
    ReplayJob done = runner.run(plan.id());

    assertThat(done.state()).isEqualTo(State.COMPLETED);
    assertThat(done.sent()).isEqualTo(40);
    List<Duration> sleeps = time.sleeps();
    assertThat(sleeps.get(0)).as("the canary at 1/s").isEqualTo(Duration.ofSeconds(1));
    assertThat(sleeps.get(1)).as("then the canary is watched").isEqualTo(Duration.ofSeconds(30));
    List<Duration> gaps = sleeps.subList(2, sleeps.size());
    assertThat(gaps.subList(0, 10)).as("10 s at 1/s").containsOnly(Duration.ofSeconds(1));
    assertThat(gaps.subList(10, 30)).as("10 s at 2/s").containsOnly(Duration.ofMillis(500));
    assertThat(gaps.subList(30, gaps.size())).as("then the max rate").containsOnly(Duration.ofMillis(200));
    assertThat(drain(40).values()).containsOnly(1);
  }

  @Test
  void itStopsByItselfWhenReplayedMessagesDieAgain() throws Exception {
    List<DeadLetter> dls = record(30, "order", "fp-a");
    ReplayJob plan = runner.prepare(plan().canary(0).maxRate(2).stopWhenDiedAgain(0.2, 3).build());
    // the consumer is still broken: every replayed message dies again
    time.onSleep((n, d) -> {
      for (DeadLetter dl : dls) {
        store.get(dl.id()).filter(s -> s.status() == DeadLetterStatus.REPLAYED).ifPresent(s -> dieAgain(s.id()));
      }
    });
    ReplayJob stopped = runner.run(plan.id());

    assertThat(stopped.state()).isEqualTo(State.STOPPED);
    assertThat(stopped.reason()).contains("died again");
    assertThat(stopped.diedAgain()).isGreaterThanOrEqualTo(3);
    assertThat(stopped.sent()).as("stopped at the first check").isEqualTo(10);
    assertThat(stopped.pending()).isEqualTo(20);
    assertThat(store.get(dls.get(0).id()).orElseThrow().replayFate()).isEqualTo(ReplayFate.DIED_AGAIN);
    assertThat(store.get(dls.get(29).id()).orElseThrow().replayFate()).isEqualTo(ReplayFate.NOT_REPLAYED);
    assertThat(runner.run(plan.id()).state()).as("a stopped job waits for resume").isEqualTo(State.STOPPED);
  }

  @Test
  void aCanaryThatDiesAgainStopsTheJob() throws Exception {
    List<DeadLetter> dls = record(5, "order", "fp-a");
    ReplayJob plan = runner.prepare(plan().canary(1).build());
    time.onSleep((n, d) -> {
      if (d.equals(Duration.ofSeconds(30))) {
        dieAgain(dls.get(0).id());
      }
    });
    ReplayJob stopped = runner.run(plan.id());
    assertThat(stopped.state()).isEqualTo(State.STOPPED);
    assertThat(stopped.reason()).contains("canary");
    assertThat(stopped.sent()).isEqualTo(1);
    assertThat(stopped.diedAgain()).isEqualTo(1);
  }

  @Test
  void pauseAndResumeFromAnotherRunnerAndCancel() throws Exception {
    record(12, "order", "fp-a");
    ReplayJob plan = runner.prepare(plan().canary(0).build());
    ReplayRunner other = newRunner(store); // another process: the CLI
    time.onSleep((n, d) -> {
      if (n == 4) {
        other.pause(plan.id(), "bob");
      }
    });
    ReplayJob paused = runner.run(plan.id());
    assertThat(paused.state()).isEqualTo(State.PAUSED);
    assertThat(paused.reason()).isEqualTo("paused by bob");
    assertThat(paused.sent()).isEqualTo(4);
    assertThat(runner.run(plan.id()).state()).as("a paused job waits for resume").isEqualTo(State.PAUSED);

    time.onSleep((n, d) -> {
      if (n == 8) {
        other.cancel(plan.id(), "carol");
      }
    });
    assertThat(other.resume(plan.id(), "bob").state()).isEqualTo(State.RUNNING);
    ReplayJob cancelled = runner.run(plan.id());
    assertThat(cancelled.state()).isEqualTo(State.CANCELLED);
    assertThat(cancelled.sent()).isEqualTo(8);
    assertThatThrownBy(() -> runner.resume(plan.id(), "bob")).isInstanceOf(IllegalStateException.class);
    assertThat(drain(8).values()).containsOnly(1);
    assertThat(store.count(DeadLetterFilter.builder().status(DeadLetterStatus.PENDING).build())).isEqualTo(4);
    other.close();
  }

  /** The process dies right after a send, before the job's position is written. */
  @Test
  void aCrashAfterASendResumesInANewRunnerAndSendsNothingTwice() throws Exception {
    record(10, "order", "fp-a");
    ReplayJob plan = runner.prepare(plan().canary(0).build());
    AtomicInteger sends = new AtomicInteger();
    ReplayStore dying = (ReplayStore) Proxy.newProxyInstance(ReplayStore.class.getClassLoader(),
        new Class<?>[] {ReplayStore.class}, (p, m, args) -> {
          if (m.getName().equals("updateJob") && sends.get() == 6) {
            throw new Crash();
          }
          Object r;
          try {
            r = m.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (m.getName().equals("replayOne") && r == ReplayStore.Outcome.SENT) {
            sends.incrementAndGet();
          }
          return r;
        });
    ReplayRunner doomed = newRunner(dying);
    assertThatThrownBy(() -> doomed.run(plan.id())).isInstanceOf(Crash.class);
    ReplayJob left = store.job(plan.id()).orElseThrow();
    assertThat(left.state()).isEqualTo(State.RUNNING);
    assertThat(left.position()).as("the 6th send happened, its position was not written").isEqualTo(5);

    ReplayJob done = runner.run(plan.id());
    assertThat(done.state()).isEqualTo(State.COMPLETED);
    assertThat(done.sent()).isEqualTo(10);
    assertThat(done.skipped()).isZero();
    assertThat(drain(10).values()).containsOnly(1);
  }

  @Test
  void anInterruptedRunnerLeavesTheJobRunningAndRecoverResumesIt() throws Exception {
    record(6, "order", "fp-a");
    ReplayJob plan = runner.prepare(plan().canary(0).build());
    time.onSleep((n, d) -> {
      if (n == 3) {
        throw new InterruptedException("killed");
      }
    });
    ReplayJob left = runner.run(plan.id());
    assertThat(Thread.interrupted()).isTrue();
    assertThat(left.state()).isEqualTo(State.RUNNING);
    assertThat(left.sent()).isEqualTo(2);
    time.onSleep((n, d) -> {});
    ReplayRunner fresh = newRunner(store);
    List<java.util.concurrent.CompletableFuture<ReplayJob>> resumed = fresh.recover();
    assertThat(resumed).hasSize(1);
    ReplayJob done = resumed.get(0).get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(done.state()).isEqualTo(State.COMPLETED);
    assertThat(done.sent()).isEqualTo(6);
    assertThat(drain(6).values()).containsOnly(1);
    fresh.close();
  }

  @Test
  void failureGroupsAreListedAndActedOnAsAUnit() throws Exception {
    List<DeadLetter> a = record(4, "order", "fp-a");
    record(2, "invoice", "fp-b");
    record(1, "refund", "fp-b");
    List<DeadLetter> c = record(2, "order", "fp-c");
    List<FailureGroup> groups = store.groups(DeadLetterFilter.all(), 10);
    assertThat(groups).extracting(FailureGroup::fingerprint).containsExactly("fp-a", "fp-b", "fp-c");
    FailureGroup b = groups.get(1);
    assertThat(b.count()).isEqualTo(3);
    assertThat(b.pending()).isEqualTo(3);
    assertThat(b.types()).containsExactlyInAnyOrder("invoice", "refund");
    assertThat(b.lastSeen()).isAfter(b.firstSeen());
    assertThat(b.errorType()).isEqualTo("java.io.IOException");
    assertThat(b.sampleError()).startsWith("down ");
    assertThat(store.groups(DeadLetterFilter.all(), 1)).hasSize(1);

    assertThat(store.resolveGroup("fp-b", "alice", "fixed upstream")).isEqualTo(3);
    assertThat(store.discardGroup("fp-c", "alice", "test data")).isEqualTo(2);
    assertThat(store.get(c.get(0).id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.DISCARDED);
    ReplayJob job = runner.run(runner.prepare(plan().group("fp-a").build()).id());
    assertThat(job.sent()).isEqualTo(4);
    assertThat(drain(4)).containsOnlyKeys(a.stream().map(d -> d.message().id()).toList());
    assertThat(store.groups(DeadLetterFilter.all(), 10).get(0).pending()).isZero();
  }

  @Test
  void badInputIsRefused() {
    assertThatThrownBy(() -> runner.run("nope")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown replay job");
    assertThatThrownBy(() -> ReplayPlan.builder("alice").maxRate(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRate");
    record(3, "order", "fp-a");
    assertThatThrownBy(() -> runner.prepare(plan().maxIds(2).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxIds");
  }

  // ---- edit and replay

  private DeadLetter recordJson(String type, String json) {
    Message m = new Message(UUID.randomUUID().toString(), type, json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        Map.of("tenant", "acme", "x-bad", "1"), target, 3, T0);
    DeadLetter dl = DeadLetter.builder(m).errorClass(ErrorClass.USER_ERROR).errorType("java.lang.IllegalArgumentException")
        .errorMessage("customer 41 unknown").deadAt(T0.plusSeconds(seq++)).fingerprint("fp-edit").build();
    assertThat(store.record(dl)).isEqualTo(RecordResult.CREATED);
    return dl;
  }

  @Test
  void editAndReplaySendsACorrectedLineageChildAndAuditsTheDiff() throws Exception {
    DeadLetter dl = recordJson("order", "{\"customer\":{\"id\":41,\"name\":\"Ann\"},\"total\":10}");
    ReplayRunner editing = ReplayRunner.builder(store).clock(time).sleeper(time).allowEdits(List.of("order")).build();
    try (editing) {
      byte[] fixed = "{\"customer\":{\"id\":42,\"name\":\"Ann\"},\"total\":10}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      dev.dlq.EditedReplay r = editing.editAndReplay(dev.dlq.ReplayEdit.builder(dl.id(), "alice").payload(fixed)
          .header("tenant", "acme-eu").removeHeader("x-bad").header("x-fixed", "yes").note("customer renumbered").build());

      assertThat(r.deadLetterId()).isEqualTo(dl.id());
      assertThat(r.changes()).as("headers by name, then payload fields").containsExactly(
          "~ header tenant: acme -> acme-eu", "- header x-bad (was 1)", "+ header x-fixed = yes",
          "~ payload customer.id: 41 -> 42");
      Message sent = takeReplayed(target, Duration.ofSeconds(10)).orElseThrow();
      assertThat(sent.id()).as("a child with its own id").isNotEqualTo(dl.message().id()).startsWith(dl.message().id())
          .isEqualTo(r.copy().id());
      assertThat(sent.payload()).isEqualTo(fixed);
      assertThat(sent.attempt()).as("fresh attempt budget").isEqualTo(1);
      assertThat(sent.headers()).containsEntry("tenant", "acme-eu").containsEntry("x-fixed", "yes")
          .containsEntry(dev.dlq.ReplayEdit.PARENT_HEADER, dl.id()).containsEntry(dev.dlq.ReplayEdit.REPLAY_HEADER, r.replayId())
          .doesNotContainKey("x-bad");
      assertThat(takeReplayed(target, Duration.ofMillis(700))).as("sent once").isEmpty();

      dev.dlq.StoredDeadLetter parent = store.get(dl.id()).orElseThrow();
      assertThat(parent.status()).isEqualTo(DeadLetterStatus.REPLAYED);
      assertThat(parent.lastReplayId()).contains(r.replayId());
      assertThat(parent.lastReplayBy()).contains("alice");
      assertThat(parent.deadLetter().message().payload()).as("the evidence is kept").isEqualTo(dl.message().payload());
      assertThat(store.audit(5)).filteredOn(e -> e.action().equals("edit-replay")).singleElement().satisfies(e -> {
        assertThat(e.operator()).isEqualTo("alice");
        assertThat(e.target()).isEqualTo(dl.id());
        assertThat(e.count()).isEqualTo(1);
        assertThat(e.detail()).contains("replayId=" + r.replayId(), "copy=" + sent.id(), "customer renumbered",
            "~ payload customer.id: 41 -> 42", "- header x-bad (was 1)");
      });

      // the child dies in turn: a dead letter of its own, pointing at its parent; the parent is untouched
      DeadLetter childDeath = DeadLetter.builder(sent.withAttempt(3)).errorType("boom").deadAt(T0.plusSeconds(9000)).build();
      assertThat(store.record(childDeath)).isEqualTo(RecordResult.CREATED);
      assertThat(store.get(childDeath.id()).orElseThrow().deadLetter().message().headers())
          .containsEntry(dev.dlq.ReplayEdit.PARENT_HEADER, dl.id());
      assertThat(store.get(dl.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.REPLAYED);

      assertThatThrownBy(() -> editing.editAndReplay(dev.dlq.ReplayEdit.builder(dl.id(), "bob").header("a", "b").build()))
          .as("a second edit of the same dead letter").isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("REPLAYED");
      assertThat(takeReplayed(target, Duration.ofMillis(500))).isEmpty();
    }
  }

  @Test
  void editsAreOffByDefaultAndAllowedPerType() throws Exception {
    DeadLetter order = recordJson("order", "{\"a\":1}");
    DeadLetter invoice = recordJson("invoice", "{\"a\":1}");
    dev.dlq.ReplayEdit edit = dev.dlq.ReplayEdit.builder(order.id(), "alice").payload("{\"a\":2}".getBytes()).build();
    assertThat(runner.editableTypes()).isEmpty();
    assertThatThrownBy(() -> runner.editAndReplay(edit)).isInstanceOf(dev.dlq.EditNotAllowedException.class)
        .hasMessageContaining("'order'").hasMessageContaining("off")
        .satisfies(e -> assertThat(((dev.dlq.EditNotAllowedException) e).type()).isEqualTo("order"));

    try (ReplayRunner ordersOnly = ReplayRunner.builder(store).clock(time).sleeper(time).allowEdits(List.of("order")).build()) {
      assertThatThrownBy(() -> ordersOnly.editAndReplay(dev.dlq.ReplayEdit.builder(invoice.id(), "alice")
          .payload("{\"a\":2}".getBytes()).build()))
          .isInstanceOf(dev.dlq.EditNotAllowedException.class).hasMessageContaining("[order]");
      assertThatThrownBy(() -> ordersOnly.editAndReplay(dev.dlq.ReplayEdit.builder("no-such-id", "alice")
          .header("a", "b").build())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-id");
      assertThatThrownBy(() -> ordersOnly.editAndReplay(dev.dlq.ReplayEdit.builder(order.id(), "alice")
          .payload("{\"a\":1}".getBytes()).build())).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("changes nothing");
      assertThatThrownBy(() -> dev.dlq.ReplayEdit.builder(order.id(), "alice").header("dlq-parent-dead-letter-id", "x").build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dlq's own");
      assertThat(takeReplayed(target, Duration.ofMillis(700))).as("nothing refused was sent").isEmpty();
      assertThat(store.get(order.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
      assertThat(store.get(invoice.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
      assertThat(store.audit(10)).extracting(e -> e.action()).doesNotContain("edit-replay");
    }
  }

  @Test
  void theAuditedDiffHidesRedactedHeadersAndPayloadFields() throws Exception {
    DeadLetter dl = recordJson("order", "{\"card\":\"4111-old\",\"amount\":5}");
    dev.dlq.DeadLetterFormat redaction = dev.dlq.DeadLetterFormat.defaults()
        .withRedactedHeaders(java.util.Set.of("tenant")).withRedactedPayloadFields(java.util.Set.of("card"));
    try (ReplayRunner editing = ReplayRunner.builder(store).clock(time).sleeper(time).allowEdits(List.of("order"))
        .redaction(redaction).build()) {
      dev.dlq.EditedReplay r = editing.editAndReplay(dev.dlq.ReplayEdit.builder(dl.id(), "alice")
          .payload("{\"card\":\"4111-new\",\"amount\":6}".getBytes()).header("tenant", "other-secret").build());
      assertThat(r.changes()).containsExactly("~ header tenant: [REDACTED] -> [REDACTED]", "~ payload amount: 5 -> 6");
      Message sent = takeReplayed(target, Duration.ofSeconds(10)).orElseThrow();
      assertThat(sent.payloadAsString()).as("the copy itself is not redacted").contains("4111-new");
      assertThat(store.audit(3)).filteredOn(e -> e.action().equals("edit-replay")).singleElement()
          .satisfies(e -> assertThat(e.detail()).doesNotContain("4111", "acme", "other-secret"));
    }
  }

  @Test
  void racingEditsOfOneDeadLetterSendOnce() throws Exception {
    DeadLetter dl = recordJson("order", "not json at all");
    try (ReplayRunner any = ReplayRunner.builder(store).clock(time).sleeper(time).allowEdits(List.of("*")).build()) {
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String fix = "fixed text " + i;
        results.add(pool.submit(() -> {
          go.await();
          try {
            dev.dlq.EditedReplay r = any.editAndReplay(dev.dlq.ReplayEdit.builder(dl.id(), "op").payload(fix.getBytes()).build());
            assertThat(r.changes()).contains("payload was: not json at all", "payload now: " + fix);
            return true;
          } catch (IllegalStateException e) {
            return false;
          }
        }));
      }
      go.countDown();
      int won = 0;
      for (java.util.concurrent.Future<Boolean> f : results) {
        won += f.get() ? 1 : 0;
      }
      pool.shutdown();
      assertThat(won).isEqualTo(1);
      assertThat(takeReplayed(target, Duration.ofSeconds(10))).isPresent();
      assertThat(takeReplayed(target, Duration.ofMillis(700))).isEmpty();
    }
  }

  /** Not an Exception: the runner cannot catch it, as it could not catch a kill. */
  static final class Crash extends Error {
    Crash() {
      super("simulated crash");
    }
  }
}
