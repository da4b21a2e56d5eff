package dev.dlq.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.postgres.PostgresTaskState.Status;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link PostgresQueue#state}: each status, the attempts, the lease, the last error, and the empty cases. */
class TaskStateIT {
  private final TestDatabase db = TestDatabase.get();

  private static byte[] body() {
    return "x".getBytes(StandardCharsets.UTF_8);
  }

  private static Attempt failed(int n) {
    return new Attempt(n, Instant.now(), ErrorClass.RECOVERABLE, "java.io.IOException", "timed out " + n,
        Duration.ofMillis(3), "w1");
  }

  @Test
  void readyThenRunningThenDoneWhenCompletedTasksAreKept() {
    TestClock clock = TestClock.atNow();
    String schema = db.migratedSchema("state_done");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).clock(clock)
        .keepCompleted(Duration.ofHours(1)).build();
    Instant start = clock.instant().truncatedTo(ChronoUnit.MICROS);
    String id = q.enqueue(NewTask.of("t", body(), Map.of()).withMaxAttempts(4));

    PostgresTaskState ready = q.state(id).orElseThrow();
    assertThat(ready.taskId()).isEqualTo(id);
    assertThat(ready.status()).isEqualTo(Status.READY);
    assertThat(ready.attempts()).isZero();
    assertThat(ready.maxAttempts()).isEqualTo(4);
    assertThat(ready.runAt()).isEqualTo(start);
    assertThat(ready.leaseOwner()).isEmpty();
    assertThat(ready.leaseUntil()).isEmpty();
    assertThat(ready.lastError()).isEmpty();
    assertThat(ready.lastErrorClass()).isEmpty();
    assertThat(ready.finished()).isFalse();

    clock.advance(Duration.ofSeconds(2));
    q.claim(id, "w1", Duration.ofSeconds(30)).orElseThrow();
    PostgresTaskState running = q.state(id).orElseThrow();
    assertThat(running.status()).isEqualTo(Status.RUNNING);
    assertThat(running.attempts()).isEqualTo(1);
    assertThat(running.leaseOwner()).contains("w1");
    assertThat(running.leaseUntil()).contains(start.plusSeconds(32));
    assertThat(running.updatedAt()).isEqualTo(start.plusSeconds(2));
    assertThat(running.finished()).isFalse();

    clock.advance(Duration.ofSeconds(1));
    assertThat(q.complete(id, "w1")).isTrue();
    PostgresTaskState done = q.state(id).orElseThrow();
    assertThat(done.status()).isEqualTo(Status.DONE);
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(done.leaseOwner()).as("the lease ends with the task").isEmpty();
    assertThat(done.leaseUntil()).isEmpty();
    assertThat(done.updatedAt()).isEqualTo(start.plusSeconds(3));
    assertThat(done.finished()).isTrue();
  }

  @Test
  void aCompletedTaskIsGoneWhenCompletedTasksAreNotKept() {
    String schema = db.migratedSchema("state_deleted");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).build(); // keepCompleted 0
    String id = q.enqueue("t", body(), Map.of());
    q.claim(id, "w1", Duration.ofSeconds(30)).orElseThrow();
    assertThat(q.state(id)).map(PostgresTaskState::status).contains(Status.RUNNING);
    assertThat(q.complete(id, "w1")).isTrue();
    assertThat(q.state(id)).as("completed and deleted").isEmpty();
  }

  @Test
  void failuresCountAttemptsAndKeepTheLastErrorUntilTheBudgetMakesTheTaskDead() {
    TestClock clock = TestClock.atNow();
    String schema = db.migratedSchema("state_retry");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).clock(clock).build();
    String id = q.enqueue(NewTask.of("t", body(), Map.of()).withMaxAttempts(2));

    q.claim(id, "w1", Duration.ofSeconds(30)).orElseThrow();
    FailOutcome first = q.fail(id, "w1", Duration.ofSeconds(5), failed(1));
    PostgresTaskState rescheduled = q.state(id).orElseThrow();
    assertThat(rescheduled.status()).isEqualTo(Status.READY);
    assertThat(rescheduled.attempts()).isEqualTo(1);
    assertThat(rescheduled.runAt()).isEqualTo(first.nextRunAt().orElseThrow());
    assertThat(rescheduled.leaseOwner()).isEmpty();
    assertThat(rescheduled.lastError()).hasValueSatisfying(e -> assertThat(e).contains("timed out 1"));
    assertThat(rescheduled.lastErrorClass()).contains(ErrorClass.RECOVERABLE);

    clock.advance(Duration.ofSeconds(5));
    q.claim(id, "w2", Duration.ofSeconds(30)).orElseThrow();
    PostgresTaskState again = q.state(id).orElseThrow();
    assertThat(again.status()).isEqualTo(Status.RUNNING);
    assertThat(again.attempts()).isEqualTo(2);
    assertThat(again.leaseOwner()).contains("w2");
    assertThat(again.lastError()).as("the failed attempt's error stays while the next runs")
        .hasValueSatisfying(e -> assertThat(e).contains("timed out 1"));

    assertThat(q.fail(id, "w2", Duration.ofSeconds(5), failed(2)).becameDead()).isTrue();
    PostgresTaskState dead = q.state(id).orElseThrow();
    assertThat(dead.status()).isEqualTo(Status.DEAD);
    assertThat(dead.attempts()).isEqualTo(2);
    assertThat(dead.maxAttempts()).isEqualTo(2);
    assertThat(dead.leaseOwner()).isEmpty();
    assertThat(dead.leaseUntil()).isEmpty();
    assertThat(dead.lastError()).hasValueSatisfying(e -> assertThat(e).contains("timed out 2"));
    assertThat(dead.finished()).isTrue();
  }

  @Test
  void failWithADeadLetterMakesTheTaskDead() {
    String schema = db.migratedSchema("state_dead");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).build();
    String id = q.enqueue("t", body(), Map.of());
    PostgresTask t = q.claim(id, "w1", Duration.ofSeconds(30)).orElseThrow();
    DeadLetter dl = DeadLetter.builder(t.message()).errorClass(ErrorClass.USER_ERROR).errorType("bad.Input")
        .errorMessage("no such customer").reason(DeadLetterReason.NON_RETRYABLE).workerId("w1").build();

    assertThat(q.fail(id, "w1", dl).becameDead()).isTrue();
    PostgresTaskState dead = q.state(id).orElseThrow();
    assertThat(dead.status()).isEqualTo(Status.DEAD);
    assertThat(dead.attempts()).isEqualTo(1);
    assertThat(dead.leaseOwner()).isEmpty();
    assertThat(dead.lastErrorClass()).contains(ErrorClass.USER_ERROR);
    assertThat(dead.lastError()).hasValueSatisfying(e -> assertThat(e).contains("no such customer"));
  }

  @Test
  void aWorkerLeavesItsAlwaysFailingTaskDeadAfterItsAttempts() throws Exception {
    String schema = db.migratedSchema("state_worker");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).build();
    String id = q.enqueue("t", body(), Map.of());
    Source source = q.source();
    try (Worker worker = Worker.builder(source, m -> {
      throw new IllegalStateException("always broken");
    }).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(20), 3)).pollWait(Duration.ofMillis(200)).build().start()) {
      Poll.until("task " + id + " DEAD", Duration.ofSeconds(30),
          () -> q.state(id).map(PostgresTaskState::status).orElse(null) == Status.DEAD);
    } finally {
      source.close();
    }
    PostgresTaskState dead = q.state(id).orElseThrow();
    assertThat(dead.attempts()).isEqualTo(3);
    assertThat(dead.maxAttempts()).as("the worker's policy wrote its budget on claim").isEqualTo(3);
    assertThat(dead.lastErrorClass()).contains(ErrorClass.SYSTEM_ERROR);
    assertThat(dead.lastError()).hasValueSatisfying(e -> assertThat(e).contains("always broken"));
  }

  @Test
  void emptyForAnUnknownIdAndForATaskOfAnotherQueue() {
    String schema = db.migratedSchema("state_missing");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).build();
    PostgresQueue other = PostgresQueue.builder(db.dataSource(), "other").schema(schema).build();
    String id = q.enqueue("t", body(), Map.of());

    assertThat(q.state("no-such-task")).isEmpty();
    assertThat(other.state(id)).as("a task of another queue").isEmpty();
    assertThat(q.state(id)).as("its own queue sees it").isPresent();
  }

  @Test
  void rejectsABlankOrNullId() {
    String schema = db.migratedSchema("state_args");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).build();
    assertThatThrownBy(() -> q.state(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taskId");
    assertThatThrownBy(() -> q.state(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taskId");
  }
}
