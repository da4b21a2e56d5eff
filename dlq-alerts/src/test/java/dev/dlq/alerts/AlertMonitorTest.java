package dev.dlq.alerts;

import static dev.dlq.alerts.Fixtures.dead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.ErrorClass;
import dev.dlq.InMemory;
import dev.dlq.RecordResult;
import dev.dlq.Worker.CircuitState;
import dev.dlq.spi.Alert;
import dev.dlq.spi.DeadLetterStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every rule kind, throttling and digests, driven by a clock the test moves; direct delivery to a recorder. */
class AlertMonitorTest {
  final Fixtures.MovingClock clock = new Fixtures.MovingClock(Instant.parse("2026-11-30T10:00:00Z"));
  final Fixtures.Recorder ops = new Fixtures.Recorder();
  final Fixtures.Recorder users = new Fixtures.Recorder();
  final DeadLetterStore store = InMemory.create(clock).store();
  AlertMonitor monitor;

  AlertMonitor monitor(AlertMonitor.Builder b) {
    monitor = b.delivery(AlertDelivery.builder().channel("ops", ops).channel("users", users).build()).clock(clock)
        .format(DeadLetterFormat.defaults().withRedactedHeaders(Set.of("authorization"))
            .withRedactedPayloadFields(Set.of("card")))
        .consoleUrl("https://ops.example.com/dlq/").build();
    return monitor;
  }

  @AfterEach
  void close() {
    if (monitor != null) {
      monitor.close();
    }
  }

  void died(DeadLetter dl) {
    RecordResult r = store.record(dl);
    monitor.observer().deadLettered(dl, r, Duration.ZERO);
  }

  @Test
  void systemErrorPagesOpsWithRedactedSampleLinkAndReplayCommand() {
    monitor(AlertMonitor.builder(store).rule(AlertRule.errorClass("system", ErrorClass.SYSTEM_ERROR)));
    died(dead("m1", "charge", ErrorClass.SYSTEM_ERROR, "java.lang.IllegalStateException", "db down",
        Map.of("authorization", "Bearer s3cret", "tenant", "acme"), "{\"card\":\"4111\",\"amount\":5}", clock.instant()));
    died(dead("m2", "charge", ErrorClass.USER_ERROR, "BadInput", "no", Map.of(), "{}", clock.instant()));
    monitor.poll();

    assertThat(ops.alerts).hasSize(1);
    Alert a = ops.alerts.get(0);
    assertThat(a.rule()).isEqualTo("system");
    assertThat(a.severity()).isEqualTo(Alert.Severity.CRITICAL);
    assertThat(a.title()).isEqualTo("SYSTEM_ERROR in charge: java.lang.IllegalStateException: db down");
    assertThat(a.sample()).get().satisfies(s -> {
      assertThat(s.headers()).containsEntry("authorization", DeadLetterFormat.REDACTED).containsEntry("tenant", "acme");
      assertThat(s.payloadPreview()).contains("\"card\":\"[REDACTED]\"").doesNotContain("4111");
      assertThat(s.messageType()).isEqualTo("charge");
    });
    assertThat(a.group()).isEqualTo(a.sample().get().fingerprint());
    assertThat(a.consoleUrl()).contains("https://ops.example.com/dlq/?fingerprint=" + a.group() + "&status=PENDING");
    assertThat(a.replayCommand()).contains("dlq dead-letters replay-batch --fingerprint " + a.group()
        + " --status PENDING --yes");
    assertThat(a.counts()).containsEntry("attempts", 3L);
  }

  @Test
  void throttlesPerGroupAndSendsADigestOfWhatWasHeldBack() {
    monitor(AlertMonitor.builder(store).rule(AlertRule.errorClass("system", ErrorClass.SYSTEM_ERROR)
        .withThrottle(Duration.ofMinutes(10))));
    for (int i = 0; i < 4; i++) {
      died(dead("same-" + i, "charge", ErrorClass.SYSTEM_ERROR, "Boom", "failed " + i, Map.of(), "{}", clock.instant()));
    }
    died(dead("other", "refund", ErrorClass.SYSTEM_ERROR, "Other", "x", Map.of(), "{}", clock.instant()));
    monitor.poll();
    assertThat(ops.alerts).extracting(Alert::title)
        .containsExactly("SYSTEM_ERROR in charge: Boom: failed 0", "SYSTEM_ERROR in refund: Other: x");

    clock.advance(Duration.ofMinutes(9));
    monitor.poll();
    assertThat(ops.alerts).hasSize(2); // still within the throttle: nothing yet

    clock.advance(Duration.ofMinutes(1));
    monitor.poll();
    assertThat(ops.alerts).hasSize(3);
    Alert digest = ops.alerts.get(2);
    assertThat(digest.counts()).containsEntry("heldBack", 3L);
    assertThat(digest.title()).isEqualTo("3 more held back since the last alert: SYSTEM_ERROR in charge: Boom: failed 3");
    assertThat(digest.sample().get().deadLetterId()).isEqualTo(DeadLetter.idFor(
        dev.dlq.SourceRef.of("postgres", "orders"), "same-3"));

    monitor.poll();
    assertThat(ops.alerts).hasSize(3); // nothing more held: no second digest
  }

  @Test
  void userErrorNotifiesTheOwnerNamedByAHeader() {
    monitor(AlertMonitor.builder(store).rule(AlertRule.errorClass("user", ErrorClass.USER_ERROR)
        .withOwnerHeader("user-id").withNotify("users").withThrottle(Duration.ZERO)));
    died(dead("j1", "chart", ErrorClass.USER_ERROR, "InvalidInput", "bad range", Map.of("user-id", "u-42"), "{}",
        clock.instant()));
    died(dead("j2", "chart", ErrorClass.USER_ERROR, "InvalidInput", "bad range", Map.of("user-id", "u-7"), "{}",
        clock.instant()));
    monitor.poll();
    assertThat(users.alerts).extracting(a -> a.recipient().orElseThrow()).containsExactly("u-42", "u-7");
    assertThat(users.alerts).allSatisfy(a -> assertThat(a.severity()).isEqualTo(Alert.Severity.INFO));
    assertThat(ops.alerts).isEmpty();
  }

  @Test
  void newGroupFiresOncePerFingerprintAndNotForGroupsAlreadyStored() {
    store.record(dead("old", "charge", ErrorClass.SYSTEM_ERROR, "Known", "x", Map.of(), "{}", clock.instant()));
    monitor(AlertMonitor.builder(store).rule(AlertRule.newGroup("new-group").withThrottle(Duration.ZERO)));
    monitor.poll(); // seeds the known groups
    died(dead("a", "charge", ErrorClass.SYSTEM_ERROR, "Known", "x", Map.of(), "{}", clock.instant()));
    died(dead("b", "charge", ErrorClass.RECOVERABLE, "Timeout", "x", Map.of(), "{}", clock.instant()));
    died(dead("c", "charge", ErrorClass.RECOVERABLE, "Timeout", "x", Map.of(), "{}", clock.instant()));
    monitor.poll();
    assertThat(ops.alerts).extracting(Alert::title).containsExactly("new failure group in charge: Timeout");
  }

  @Test
  void reopenedAndBreakerOpenComeFromTheObserver() {
    monitor(AlertMonitor.builder().rule(AlertRule.reopened("again")).rule(AlertRule.breakerOpen("breaker")));
    DeadLetter dl = dead("r1", "charge", ErrorClass.SYSTEM_ERROR, "Boom", "x", Map.of(), "{}", clock.instant());
    monitor.observer().deadLettered(dl, RecordResult.CREATED, Duration.ZERO);
    monitor.observer().deadLettered(dl, RecordResult.REOPENED, Duration.ZERO);
    monitor.observer().circuitChanged("w1", "postgres:orders", CircuitState.HALF_OPEN);
    monitor.observer().circuitChanged("w1", "postgres:orders", CircuitState.OPEN);
    monitor.poll();
    assertThat(ops.alerts).extracting(Alert::rule).containsExactly("again", "breaker");
    assertThat(ops.alerts.get(0).replayCommand()).contains("dlq dead-letters replay " + dl.id());
    assertThat(ops.alerts.get(1).group()).isEqualTo("w1");
    assertThat(ops.alerts.get(1).severity()).isEqualTo(Alert.Severity.CRITICAL);
  }

  @Test
  void rateCountsTheStoreOverTheWindow() {
    monitor(AlertMonitor.builder(store).rule(AlertRule.rate("rate", 3, Duration.ofMinutes(1))));
    for (int i = 0; i < 3; i++) {
      store.record(dead("r" + i, "charge", ErrorClass.RECOVERABLE, "Timeout", "x", Map.of(), "{}", clock.instant()));
    }
    monitor.poll();
    assertThat(ops.alerts).isEmpty(); // 3 is not more than 3
    store.record(dead("r3", "charge", ErrorClass.RECOVERABLE, "Timeout", "x", Map.of(), "{}", clock.instant()));
    monitor.poll();
    assertThat(ops.alerts).hasSize(1);
    assertThat(ops.alerts.get(0).counts()).containsEntry("deadLetters", 4L).containsEntry("threshold", 3L);
    assertThat(ops.alerts.get(0).title()).isEqualTo("4 dead letters within 1m (more than 3)");
  }

  @Test
  void rateWithoutAStoreCountsObservedDeaths() {
    monitor(AlertMonitor.builder().rule(AlertRule.rate("rate", 2, Duration.ofMinutes(1))));
    for (int i = 0; i < 2; i++) {
      monitor.observer().deadLettered(dead("o" + i, "t", ErrorClass.UNKNOWN, "E", "x", Map.of(), "{}", clock.instant()),
          RecordResult.CREATED, Duration.ZERO);
      clock.advance(Duration.ofSeconds(40));
    }
    monitor.observer().deadLettered(dead("o2", "t", ErrorClass.UNKNOWN, "E", "x", Map.of(), "{}", clock.instant()),
        RecordResult.CREATED, Duration.ZERO);
    monitor.poll();
    assertThat(ops.alerts).isEmpty(); // the first fell out of the window
    monitor.observer().deadLettered(dead("o3", "t", ErrorClass.UNKNOWN, "E", "x", Map.of(), "{}", clock.instant()),
        RecordResult.CREATED, Duration.ZERO);
    monitor.poll();
    assertThat(ops.alerts).hasSize(1);
    assertThat(ops.alerts.get(0).sample().get().deadLetterId())
        .isEqualTo(DeadLetter.idFor(dev.dlq.SourceRef.of("postgres", "orders"), "o3"));
  }

  @Test
  void oldestUnresolvedDeadLetterOlderThanTheLimit() {
    monitor(AlertMonitor.builder(store).rule(AlertRule.oldest("stale", Duration.ofHours(24))));
    DeadLetter old = dead("s1", "charge", ErrorClass.SYSTEM_ERROR, "Boom", "x", Map.of(), "{}", clock.instant());
    store.record(old);
    clock.advance(Duration.ofHours(23));
    store.record(dead("s2", "charge", ErrorClass.SYSTEM_ERROR, "Boom", "x", Map.of(), "{}", clock.instant()));
    monitor.poll();
    assertThat(ops.alerts).isEmpty();
    clock.advance(Duration.ofHours(1).plusMinutes(5));
    monitor.poll();
    assertThat(ops.alerts).hasSize(1);
    Alert a = ops.alerts.get(0);
    assertThat(a.title()).isEqualTo("oldest unresolved dead letter is 24h5m old (limit 1d)");
    assertThat(a.counts()).containsEntry("pending", 2L).containsEntry("ageSeconds", 24 * 3600L + 300);
    assertThat(a.sample().get().deadLetterId()).isEqualTo(old.id());
    store.resolve(java.util.List.of(old.id()), "me", "fixed");
    clock.advance(Duration.ofHours(1));
    monitor.poll();
    assertThat(ops.alerts).hasSize(1); // the other is 2h old now: fine
  }

  @Test
  void aMonitorProcessReadsDeathsFromTheStore() {
    monitor(AlertMonitor.builder(store).deathsFromStore()
        .rule(AlertRule.errorClass("system", ErrorClass.SYSTEM_ERROR).withThrottle(Duration.ZERO)));
    monitor.poll();
    clock.advance(Duration.ofSeconds(1));
    store.record(dead("p1", "charge", ErrorClass.SYSTEM_ERROR, "Boom", "x", Map.of(), "{}", clock.instant()));
    monitor.observer().deadLettered(dead("ignored", "charge", ErrorClass.SYSTEM_ERROR, "Boom", "x", Map.of(), "{}",
        clock.instant()), RecordResult.CREATED, Duration.ZERO);
    clock.advance(Duration.ofSeconds(1));
    monitor.poll();
    monitor.poll();
    assertThat(ops.alerts).hasSize(1);
    assertThat(ops.alerts.get(0).sample().get().deadLetterId())
        .isEqualTo(DeadLetter.idFor(dev.dlq.SourceRef.of("postgres", "orders"), "p1"));
  }

  @Test
  void theStoreFeedCatchesALateCommitOnceAndSeesReopenedDeaths() {
    monitor(AlertMonitor.builder(store).deathsFromStore().rule(AlertRule.reopened("again").withThrottle(Duration.ZERO))
        .rule(AlertRule.errorClass("system", ErrorClass.SYSTEM_ERROR).withThrottle(Duration.ZERO)));
    monitor.poll();
    store.record(dead("before-start", "charge", ErrorClass.SYSTEM_ERROR, "Old", "x", Map.of(), "{}",
        clock.instant().minusSeconds(5))); // died before the monitor started: not its business
    clock.advance(Duration.ofSeconds(60));
    monitor.poll();
    Instant before = clock.instant().minusSeconds(20); // died before the last scan, committed after it
    clock.advance(Duration.ofSeconds(5));
    DeadLetter late = dead("late", "charge", ErrorClass.SYSTEM_ERROR, "Boom", "x", Map.of(), "{}", before);
    store.record(late);
    monitor.poll();
    clock.advance(Duration.ofSeconds(5));
    monitor.poll();
    assertThat(ops.alerts).extracting(Alert::rule).containsExactly("system");

    store.replay(dev.dlq.ReplayRequest.ofIds(java.util.List.of(late.id()), "me"));
    DeadLetter again = dead("late", "charge", ErrorClass.SYSTEM_ERROR, "Boom", "x", Map.of(), "{}", clock.instant());
    assertThat(store.record(again)).isEqualTo(RecordResult.REOPENED);
    clock.advance(Duration.ofSeconds(5));
    monitor.poll();
    assertThat(ops.alerts).extracting(Alert::rule).containsExactly("system", "again", "system"); // rules in their order
  }

  @Test
  void refusesRulesThatCannotWork() {
    AlertDelivery d = AlertDelivery.builder().channel("ops", ops).build();
    assertThatThrownBy(() -> AlertMonitor.builder(store).delivery(d).rule(AlertRule.newGroup("x").withNotify("pager"))
        .build()).hasMessage("rule x notifies unknown channel pager; known: [ops]");
    assertThatThrownBy(() -> AlertMonitor.builder().delivery(d).rule(AlertRule.oldest("o", Duration.ofHours(1))).build())
        .hasMessage("rule o (oldest) needs a store: use AlertMonitor.builder(store)");
    assertThatThrownBy(() -> AlertMonitor.builder(store).rule(AlertRule.newGroup("x")).rule(AlertRule.reopened("x")))
        .hasMessage("rule name x is used twice");
  }
}
