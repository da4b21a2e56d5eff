package dev.dlq.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterFilter;
import dev.dlq.Outcome;
import dev.dlq.Worker;
import dev.dlq.contract.CountingObserver;
import dev.dlq.postgres.NewTask;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.testing.TestDatabase;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A 20 s downstream outage with the default worker (issue 9, point 5): the processor throws
 * IOException for every message while the outage lasts. With the defaults (breaker on, conservative
 * policy) not one of the 5,000 tasks is dead-lettered, no retry budget is spent while the breaker is
 * open, and the drain resumes within 2 s of the downstream coming back. Real PostgreSQL, real clock.
 */
class OutageIT {
  private static final int TASKS = 5_000;
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  private static void await(String what, Duration timeout, java.util.function.BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void aTwentySecondOutageWithDefaultsDeadLettersNothingAndResumesWithinTwoSeconds() throws Exception {
    TestDatabase db = TestDatabase.get();
    String schema = db.migratedSchema("outage");
    PostgresQueue queue = PostgresQueue.builder(db.dataSource(), "orders").schema(schema).build();
    List<NewTask> tasks = new ArrayList<>(TASKS);
    for (int i = 0; i < TASKS; i++) {
      tasks.add(NewTask.of("order.created", ("{\"n\":" + i + "}").getBytes(), Map.of()));
    }
    queue.enqueueBatch(tasks);

    AtomicBoolean down = new AtomicBoolean(true);
    AtomicInteger callsWhileDown = new AtomicInteger();
    AtomicLong firstSuccessAfterRecovery = new AtomicLong();
    CountingObserver counts = new CountingObserver();
    long started = System.nanoTime();
    try (Worker worker = Worker.builder(queue.source(), m -> {
      if (down.get()) {
        callsWhileDown.incrementAndGet();
        throw new IOException("payment service unavailable");
      }
      firstSuccessAfterRecovery.compareAndSet(0, System.nanoTime());
      return Outcome.success();
    }).observer(counts).build().start()) {
      await("the breaker opened", Duration.ofSeconds(10), () -> worker.circuitState() != Worker.CircuitState.CLOSED);
      // the failures that opened it settle asynchronously: count them once they are durable
      await("the failures before the breaker opened settled", Duration.ofSeconds(5), () -> worker.inFlight() == 0);
      long retriesAtOpen = counts.retriesTotal();
      long remaining = OUTAGE.toNanos() - (System.nanoTime() - started);
      Thread.sleep(Math.max(0, remaining / 1_000_000));
      long retriesAtEnd = counts.retriesTotal();
      int calls = callsWhileDown.get();
      long recovered = System.nanoTime();
      down.set(false);

      await("all tasks done", Duration.ofSeconds(120), () -> counts.messages("success") == TASKS);
      double resumeSeconds = (firstSuccessAfterRecovery.get() - recovered) / 1e9;
      System.out.printf("outage of %s: %d processor calls while down, %d retries before the breaker opened, "
          + "%d after; %d handed back; drain resumed %.2f s after recovery%n", OUTAGE, calls, retriesAtOpen,
          retriesAtEnd - retriesAtOpen, counts.messages("released"), resumeSeconds);

      assertThat(retriesAtEnd - retriesAtOpen).as("no retry budget spent while the breaker was open").isZero();
      assertThat(calls).as("the breaker kept the downstream from being hammered").isLessThan(200);
      assertThat(resumeSeconds).as("resumes within 2 s of recovery").isLessThan(2.0);
    }
    PostgresDeadLetterStore store = queue.deadLetterStore();
    assertThat(store.count(DeadLetterFilter.all())).as("an outage dead-letters nothing").isZero();
    assertThat(counts.deadLetteredTotal()).isZero();
    assertThat(counts.messages("success")).isEqualTo(TASKS);
  }
}
