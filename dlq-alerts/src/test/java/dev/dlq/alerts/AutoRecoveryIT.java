package dev.dlq.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.CircuitBreakerConfig;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.RetryPolicy;
import dev.dlq.StoredDeadLetter;
import dev.dlq.Worker;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** RECOVERABLE dead letters come back by themselves after the cool-down, a bounded number of times. */
class AutoRecoveryIT {
  final TestDatabase db = TestDatabase.get();
  final String schema = db.migratedSchema("recovery");
  final PostgresQueue orders = PostgresQueue.builder(db.dataSource(), "orders").schema(schema).build();
  final PostgresDeadLetterStore store = orders.deadLetterStore();

  @Test
  void replaysRecoverableDeadLettersAfterTheCoolDownAtMostMaxReplaysTimes() {
    AtomicInteger runs = new AtomicInteger();
    String id = orders.enqueue("order.created", "{}".getBytes(), Map.of());
    orders.enqueue("order.invalid", "{}".getBytes(), Map.of());
    try (Worker w = Worker.builder(orders.source(), m -> {
          if (m.type().equals("order.invalid")) {
            throw new IllegalArgumentException("bad order");
          }
          runs.incrementAndGet();
          throw new TimeoutException("payment service timed out");
        }).retryPolicy(RetryPolicy.fixed(Duration.ZERO, 1)).circuitBreaker(CircuitBreakerConfig.disabled())
        .build().start()) {
      Await.until("both dead", Duration.ofSeconds(10), () -> store.count(dev.dlq.DeadLetterFilter.all()) == 2);
      StoredDeadLetter first = store.find(dev.dlq.DeadLetterQuery.of(dev.dlq.DeadLetterFilter.builder()
          .type("order.created").build(), 1)).items().get(0);
      assertThat(first.deadLetter().errorClass()).isEqualTo(ErrorClass.RECOVERABLE);
      assertThat(first.deadLetter().message().id()).isEqualTo(id);

      Fixtures.MovingClock clock = new Fixtures.MovingClock(Instant.now());
      AutoRecovery recovery = AutoRecovery.builder(store).coolDown(Duration.ofMinutes(10)).maxReplays(2)
          .ratePerSecond(100).clock(clock).build();
      assertThat(recovery.runOnce().matched()).isZero(); // still cooling down

      clock.advance(Duration.ofMinutes(11));
      for (int replay = 1; replay <= 2; replay++) {
        assertThat(recovery.runOnce().replayed()).isEqualTo(1); // the USER_ERROR one is never replayed
        int expected = replay + 1;
        Await.until("died again", Duration.ofSeconds(10), () -> runs.get() == expected
            && store.get(first.id()).orElseThrow().status() == DeadLetterStatus.PENDING);
        clock.advance(Duration.ofMinutes(11));
      }
      StoredDeadLetter after = store.get(first.id()).orElseThrow();
      assertThat(after.replayCount()).isEqualTo(2);
      assertThat(after.deathCount()).isEqualTo(3);
      assertThat(recovery.runOnce().matched()).isZero(); // its replays are used up: left for a person
      assertThat(runs.get()).isEqualTo(3);
      assertThat(store.audit(10)).anySatisfy(e -> assertThat(e.operator()).isEqualTo(AutoRecovery.OPERATOR));
    }
  }
}
