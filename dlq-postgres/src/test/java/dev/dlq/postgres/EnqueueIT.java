package dev.dlq.postgres;

import dev.dlq.contract.Settle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Batch enqueue keeps every payload and header byte-exact, across statement chunks, and is idempotent on ids. */
class EnqueueIT {
  private final TestDatabase db = TestDatabase.get();

  @Test
  void aLargeBatchArrivesByteExact() throws Exception {
    TestClock clock = TestClock.atNow();
    String schema = db.migratedSchema("enqueue");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "bulk").schema(schema).clock(clock).claimBatch(1).build();
    int n = 12_345;
    List<NewTask> tasks = new ArrayList<>();
    Map<String, byte[]> payloads = new HashMap<>();
    for (int i = 0; i < n; i++) {
      byte[] p = new byte[i % 7];
      for (int j = 0; j < p.length; j++) {
        p[j] = (byte) (i * 31 + j * 7);
      }
      NewTask t = NewTask.of("t" + (i % 3), p, i % 2 == 0 ? Map.of("i", Integer.toString(i), "q\"uote", "a\\b")
          : Map.of()).withId("task-" + i);
      if (i == 5) {
        t = t.withRunAt(clock.instant().plusSeconds(3600)).withMaxAttempts(9);
      }
      tasks.add(t);
      payloads.put("task-" + i, p);
    }
    tasks.add(NewTask.of("dup", new byte[] {1}).withId("task-1")); // a duplicate inside the batch is ignored
    List<String> ids = q.enqueueBatch(tasks);
    assertThat(ids).hasSize(n + 1);
    assertThat(q.enqueueBatch(List.of(NewTask.of("again", new byte[] {2}).withId("task-2")))).containsExactly("task-2");

    int seen = 0;
    try (Source s = q.source()) {
      while (true) {
        List<? extends Delivery> got = s.poll(1000, Duration.ZERO);
        if (got.isEmpty()) {
          break;
        }
        for (Delivery d : got) {
          String id = d.message().id();
          int i = Integer.parseInt(id.substring(5));
          assertThat(d.message().payload()).as(id).isEqualTo(payloads.get(id));
          assertThat(d.message().type()).isEqualTo("t" + (i % 3));
          if (i % 2 == 0) {
            assertThat(d.message().headers()).isEqualTo(Map.of("i", Integer.toString(i), "q\"uote", "a\\b"));
          } else {
            assertThat(d.message().headers()).isEmpty();
          }
          seen++;
          Settle.complete(d);
        }
      }
      assertThat(seen).as("all but the one scheduled an hour ahead").isEqualTo(n - 1);
      clock.advance(Duration.ofSeconds(3601));
      List<? extends Delivery> later = s.poll(10, Duration.ZERO);
      assertThat(later).singleElement().satisfies(d -> assertThat(d.message().id()).isEqualTo("task-5"));
      Settle.complete(later.get(0));
    }
  }
}
