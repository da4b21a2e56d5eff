package dev.dlq.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.RecordResult;
import dev.dlq.postgres.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** DB-authority mode: claim by id, complete, fail; becameDead exactly once under concurrency. */
class DbAuthorityIT {
  private final TestDatabase db = TestDatabase.get();

  private static Attempt failed(int n) {
    return new Attempt(n, Instant.now(), ErrorClass.SYSTEM_ERROR, "java.lang.IllegalStateException", "boom " + n,
        Duration.ofMillis(3), "w1");
  }

  @Test
  void claimByIdTakesOnlyClaimableTasks() throws Exception {
    TestClock clock = TestClock.atNow();
    String schema = db.migratedSchema("authority");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).clock(clock).build();
    PostgresQueue other = PostgresQueue.builder(db.dataSource(), "other").schema(schema).clock(clock).build();
    String id = q.enqueue("t", "x".getBytes(StandardCharsets.UTF_8), Map.of("a", "b"));

    assertThat(q.claim("missing", "w1", Duration.ofSeconds(30))).isEmpty();
    assertThat(other.claim(id, "w1", Duration.ofSeconds(30))).as("other queue").isEmpty();
    PostgresTask t = q.claim(id, "w1", Duration.ofSeconds(30)).orElseThrow();
    assertThat(t.attempt()).isEqualTo(1);
    assertThat(t.payload()).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
    assertThat(t.headers()).isEqualTo(Map.of("a", "b"));
    assertThat(t.message().source()).isEqualTo(q.sourceRef());
    assertThat(q.claim(id, "w2", Duration.ofSeconds(30))).as("leased by another").isEmpty();
    assertThat(q.complete(id, "w2")).as("not held by w2").isFalse();

    clock.advance(Duration.ofSeconds(31));
    PostgresTask taken = q.claim(id, "w2", Duration.ofSeconds(30)).orElseThrow();
    assertThat(taken.attempt()).as("expired lease taken over, attempt counted").isEqualTo(2);
    assertThat(q.complete(id, "w1")).as("w1 lost it").isFalse();
    assertThat(q.complete(id, "w2")).isTrue();
    assertThat(q.claim(id, "w3", Duration.ofSeconds(30))).as("done").isEmpty();
  }

  @Test
  void failReschedulesThenDeadLettersWhenTheBudgetIsUsed() throws Exception {
    TestClock clock = TestClock.atNow();
    String schema = db.migratedSchema("authority_fail");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).clock(clock).build();
    String id = q.enqueue(NewTask.of("t", new byte[] {9}, Map.of()).withMaxAttempts(2));

    q.claim(id, "w1", Duration.ofSeconds(30)).orElseThrow();
    FailOutcome first = q.fail(id, "w1", Duration.ofSeconds(5), failed(1));
    assertThat(first.result()).isEqualTo(FailOutcome.Result.RESCHEDULED);
    assertThat(first.nextRunAt()).contains(clock.instant().plusSeconds(5));
    assertThat(first.becameDead()).isFalse();
    assertThat(q.fail(id, "w1", Duration.ZERO, failed(1)).result()).as("no longer held").isEqualTo(FailOutcome.Result.NOT_HELD);

    PostgresTask again = q.claim(id, "w1", Duration.ofSeconds(30)).orElseThrow();
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.history()).singleElement().satisfies(a -> assertThat(a.errorMessage()).isEqualTo("boom 1"));
    FailOutcome second = q.fail(id, "w1", Duration.ofSeconds(5), failed(2));
    assertThat(second.becameDead()).isTrue();
    assertThat(second.recorded()).contains(RecordResult.CREATED);
    DeadLetter dl = second.deadLetter().orElseThrow();
    assertThat(dl.reason()).isEqualTo(DeadLetterReason.EXHAUSTED);
    assertThat(dl.attempts()).isEqualTo(2);
    assertThat(dl.history()).hasSize(2);
    assertThat(q.deadLetterStore().get(dl.id())).isPresent();
    assertThat(q.claim(id, "w1", Duration.ofSeconds(30))).as("dead").isEmpty();
  }

  @Test
  void concurrentFailuresMakeATaskDeadExactlyOnce() throws Exception {
    String schema = db.migratedSchema("authority_race");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).build();
    int tasks = 20;
    int racers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      for (int i = 0; i < tasks; i++) {
        String id = q.enqueue("t", new byte[] {(byte) i}, Map.of());
        PostgresTask t = q.claim(id, "w1", Duration.ofSeconds(60)).orElseThrow();
        DeadLetter dl = DeadLetter.builder(t.message()).errorClass(ErrorClass.USER_ERROR).errorType("bad")
            .reason(DeadLetterReason.NON_RETRYABLE).workerId("w1").build();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<FailOutcome>> results = new ArrayList<>();
        for (int r = 0; r < racers; r++) {
          boolean viaRetry = r % 2 == 1;
          results.add(pool.submit(() -> {
            go.await();
            return viaRetry ? q.fail(id, "w1", Duration.ZERO, failed(1)) : q.fail(id, "w1", dl);
          }));
        }
        go.countDown();
        int dead = 0;
        int rescheduled = 0;
        for (Future<FailOutcome> f : results) {
          FailOutcome o = f.get();
          dead += o.becameDead() ? 1 : 0;
          rescheduled += o.result() == FailOutcome.Result.RESCHEDULED ? 1 : 0;
        }
        assertThat(dead + rescheduled).as("exactly one call changed task %s", i).isEqualTo(1);
      }
    } finally {
      pool.shutdown();
    }
    assertThat(q.deadLetterStore().count(DeadLetterFilter.all())).isLessThanOrEqualTo(tasks);
  }

  @Test
  void concurrentDeadLetteringOfOneTaskCountsOnce() throws Exception {
    String schema = db.migratedSchema("authority_once");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).build();
    String id = q.enqueue("t", new byte[] {1}, Map.of());
    PostgresTask t = q.claim(id, "w1", Duration.ofSeconds(60)).orElseThrow();
    DeadLetter dl = DeadLetter.builder(t.message()).errorType("bad").workerId("w1").build();
    int racers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<FailOutcome>> results = new ArrayList<>();
    for (int r = 0; r < racers; r++) {
      results.add(pool.submit(() -> {
        go.await();
        return q.fail(id, "w1", dl);
      }));
    }
    go.countDown();
    List<FailOutcome> outcomes = new ArrayList<>();
    for (Future<FailOutcome> f : results) {
      outcomes.add(f.get());
    }
    pool.shutdown();
    assertThat(outcomes).filteredOn(FailOutcome::becameDead).hasSize(1);
    assertThat(outcomes).filteredOn(o -> !o.becameDead())
        .allSatisfy(o -> assertThat(o.result()).isEqualTo(FailOutcome.Result.NOT_HELD));
    assertThat(q.deadLetterStore().count(DeadLetterFilter.all())).isEqualTo(1);
    assertThat(q.deadLetterStore().get(dl.id()).orElseThrow().deathCount()).isEqualTo(1);
    assertThat(Optional.of(q.release(id, "w1"))).contains(false);
  }

  @Test
  void extendAndReleaseNeedTheLease() {
    String schema = db.migratedSchema("authority_lease");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).build();
    String id = q.enqueue("t", new byte[] {1}, Map.of());
    q.claim(id, "w1", Duration.ofSeconds(30)).orElseThrow();
    assertThat(q.extendLease(id, "w2", Duration.ofSeconds(30))).isFalse();
    assertThat(q.extendLease(id, "w1", Duration.ofSeconds(30))).isTrue();
    assertThat(q.release(id, "w2")).isFalse();
    assertThat(q.release(id, "w1")).isTrue();
    assertThat(q.claim(id, "w2", Duration.ofSeconds(30)).orElseThrow().attempt()).as("release spent no attempt")
        .isEqualTo(1);
  }
}
