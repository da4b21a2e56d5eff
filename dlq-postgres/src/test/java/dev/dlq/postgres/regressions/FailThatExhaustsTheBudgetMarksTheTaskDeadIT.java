package dev.dlq.postgres.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.Attempt;
import dev.dlq.ErrorClass;
import dev.dlq.postgres.FailOutcome;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Broke: {@code fail()} ran its {@code UPDATE ... RETURNING} as an update and every DB-authority
 * death failed with "A result was returned when none was expected"; the task stayed RUNNING.
 */
class FailThatExhaustsTheBudgetMarksTheTaskDeadIT {
  @Test
  void theTaskBecomesDeadAndTheCallSaysSo() {
    TestDatabase db = TestDatabase.get();
    String schema = db.migratedSchema("reg_fail_dead");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "q").schema(schema).build();
    String id = q.enqueue(dev.dlq.postgres.NewTask.of("t", new byte[] {1}, Map.of()).withMaxAttempts(1));
    q.claim(id, "w", Duration.ofSeconds(30)).orElseThrow();
    FailOutcome o = q.fail(id, "w", Duration.ZERO,
        new Attempt(1, Instant.now(), ErrorClass.SYSTEM_ERROR, "x.Boom", "boom", Duration.ZERO, "w"));
    assertThat(o.becameDead()).isTrue();
    assertThat(q.claim(id, "w", Duration.ofSeconds(30))).isEmpty();
  }
}
