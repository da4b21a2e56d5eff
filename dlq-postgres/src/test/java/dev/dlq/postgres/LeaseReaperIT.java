package dev.dlq.postgres;

import dev.dlq.contract.Settle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.contract.CountingObserver;
import dev.dlq.ErrorClass;
import dev.dlq.StoredDeadLetter;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker that dies holding leases: its tasks return with the attempt counted, and a task whose
 * workers keep dying is dead-lettered once as LEASE_EXPIRED. Time is moved by hand.
 */
class LeaseReaperIT {
  private final TestDatabase db = TestDatabase.get();

  @Test
  void tasksOfACrashedWorkerReturnWithTheirAttemptCounted() throws Exception {
    TestClock clock = TestClock.atNow();
    String schema = db.migratedSchema("reaper");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).clock(clock)
        .lease(Duration.ofSeconds(30)).reapInterval(Duration.ofHours(1)).claimBatch(1).build();
    q.enqueueBatch(List.of(NewTask.of("t", "a".getBytes(StandardCharsets.UTF_8)),
        NewTask.of("t", "b".getBytes(StandardCharsets.UTF_8))));

    Source crashed = q.source("crashed-worker");
    List<? extends Delivery> held = crashed.poll(10, Duration.ofSeconds(5));
    assertThat(held).hasSize(2);
    // the worker dies: nothing is settled (its connections go away with it)

    try (Source survivor = q.source("survivor")) {
      assertThat(survivor.poll(10, Duration.ZERO)).as("leased, not yet expired").isEmpty();
      assertThat(q.reapExpiredLeases()).isZero();
      clock.advance(Duration.ofSeconds(31));
      assertThat(q.reapExpiredLeases()).isEqualTo(2);

      List<? extends Delivery> again = survivor.poll(10, Duration.ofSeconds(5));
      assertThat(again).hasSize(2);
      assertThat(again).allSatisfy(d -> {
        assertThat(d.message().attempt()).isEqualTo(2);
        assertThat(d.history()).singleElement().satisfies(a -> {
          assertThat(a.errorType()).isEqualTo("lease-expired");
          assertThat(a.workerId()).isEqualTo("crashed-worker");
        });
      });
      again.forEach(Settle::complete);
      // the crashed worker's late settle finds its lease gone and changes nothing
      assertThat(held.get(0)).satisfies(d -> {
        try {
          Settle.complete(d);
          throw new AssertionError("a lost lease must not complete");
        } catch (dev.dlq.DlqException expected) {
          assertThat(expected).hasMessageContaining("lease");
        }
      });
    }
    crashed.close();
  }

  @Test
  void aCrashLoopEndsDeadOnceAsLeaseExpired() throws Exception {
    TestClock clock = TestClock.atNow();
    String schema = db.migratedSchema("crashloop");
    CountingObserver metrics = new CountingObserver();
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).clock(clock).observer(metrics)
        .lease(Duration.ofSeconds(10)).reapInterval(Duration.ofHours(1)).claimBatch(1).build();
    String id = q.enqueue("poison", new byte[] {1, 2, 3}, Map.of("h", "v"));

    List<Source> dead = new java.util.ArrayList<>();
    for (int attempt = 1; attempt <= 3; attempt++) {
      Source s = q.source("crash-" + attempt);
      // a worker whose retry policy allows 3 attempts: the claim sets the task's crash backstop to 3
      s.open(dev.dlq.contract.TestContext.of(s, q.deadLetterStore()).withBackstop(3));
      dead.add(s);
      List<? extends Delivery> got = s.poll(1, Duration.ofSeconds(5));
      assertThat(got).singleElement().satisfies(d -> assertThat(d.message().id()).isEqualTo(id));
      clock.advance(Duration.ofSeconds(11));
      assertThat(q.reapExpiredLeases()).isEqualTo(1);
      // dies without closing: sources of crashed processes are never closed
    }
    PostgresDeadLetterStore store = q.deadLetterStore();
    StoredDeadLetter s = store.get(DeadLetter.idFor(q.sourceRef(), id)).orElseThrow();
    assertThat(s.deadLetter().reason()).isEqualTo(DeadLetterReason.LEASE_EXPIRED);
    assertThat(s.deadLetter().errorClass()).isEqualTo(ErrorClass.SYSTEM_ERROR);
    assertThat(s.deadLetter().attempts()).isEqualTo(3);
    assertThat(s.deadLetter().history()).hasSize(3);
    assertThat(s.deadLetter().message().payload()).containsExactly(1, 2, 3);
    assertThat(s.deadLetter().message().headers()).isEqualTo(Map.of("h", "v"));
    assertThat(metrics.deadLetteredTotal()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(5));
    assertThat(q.reapExpiredLeases()).isZero();
    assertThat(metrics.deadLetteredTotal()).as("counted once").isEqualTo(1);
    try (Source s2 = q.source("after")) {
      assertThat(s2.poll(10, Duration.ZERO)).as("dead, not redelivered").isEmpty();
    }
    dead.forEach(Source::close);
  }

  @Test
  void extendedLeasesAreNotReaped() throws Exception {
    TestClock clock = TestClock.atNow();
    String schema = db.migratedSchema("extend");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).clock(clock)
        .lease(Duration.ofSeconds(10)).reapInterval(Duration.ofHours(1)).build();
    q.enqueue("t", new byte[] {1}, Map.of());
    try (Source s = q.source()) {
      Delivery d = s.poll(1, Duration.ofSeconds(5)).get(0);
      clock.advance(Duration.ofSeconds(8));
      d.extendLease(Duration.ofSeconds(10));
      clock.advance(Duration.ofSeconds(8));
      Poll.until("the extension is written", Duration.ofSeconds(10), () -> leaseUntilAfter(schema, clock.instant()));
      assertThat(q.reapExpiredLeases()).isZero();
      Settle.complete(d);
    }
  }

  private boolean leaseUntilAfter(String schema, java.time.Instant t) {
    try (java.sql.Connection c = db.connect(); java.sql.PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FROM " + schema + ".tasks WHERE status = 'RUNNING' AND lease_until > ?")) {
      ps.setObject(1, java.time.OffsetDateTime.ofInstant(t, java.time.ZoneOffset.UTC));
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) == 1;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
