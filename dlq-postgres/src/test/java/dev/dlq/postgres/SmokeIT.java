package dev.dlq.postgres;

import dev.dlq.contract.Settle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.RecordResult;
import dev.dlq.StoredDeadLetter;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SmokeIT {
  @Test
  void enqueueClaimSettle() throws Exception {
    TestDatabase db = TestDatabase.get();
    String schema = db.migratedSchema("smoke");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "orders").schema(schema).build();
    PostgresDeadLetterStore store = q.deadLetterStore();
    String a = q.enqueue("t", "a".getBytes(StandardCharsets.UTF_8), Map.of("k", "v\"\n"));
    String b = q.enqueue("t", new byte[] {0, 1, 2}, Map.of());
    String c = q.enqueue("t", new byte[] {3}, Map.of());
    try (Source s = q.source()) {
      List<? extends Delivery> got = s.poll(10, Duration.ofSeconds(1));
      assertThat(got).hasSize(3);
      Delivery da = got.stream().filter(d -> d.message().id().equals(a)).findFirst().orElseThrow();
      assertThat(da.message().headers()).isEqualTo(Map.of("k", "v\"\n"));
      Settle.complete(da);
      Delivery db2 = got.stream().filter(d -> d.message().id().equals(b)).findFirst().orElseThrow();
      Settle.retry(db2, Duration.ZERO, new Attempt(1, Instant.now(), ErrorClass.RECOVERABLE, "x.Y", "boom", Duration.ZERO, "w"));
      Delivery dc = got.stream().filter(d -> d.message().id().equals(c)).findFirst().orElseThrow();
      DeadLetter dl = DeadLetter.builder(dc.message()).reason(DeadLetterReason.REJECTED).errorType("rejected")
          .deadAt(Instant.parse("2026-01-02T03:04:05.123456Z")).build();
      assertThat(Settle.dead(dc, dl)).isEqualTo(RecordResult.CREATED);
      List<? extends Delivery> again = s.poll(10, Duration.ofSeconds(1));
      assertThat(again).hasSize(1);
      assertThat(again.get(0).message().attempt()).isEqualTo(2);
      assertThat(again.get(0).history()).hasSize(1);
      assertThat(again.get(0).message().payload()).containsExactly(0, 1, 2);
      Settle.complete(again.get(0));
      Optional<StoredDeadLetter> got2 = store.get(dl.id());
      assertThat(got2).isPresent();
      assertThat(got2.get().deadLetter()).isEqualTo(dl);
    }
  }
}
