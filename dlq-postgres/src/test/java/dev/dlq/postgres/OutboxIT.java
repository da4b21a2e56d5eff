package dev.dlq.postgres;

import dev.dlq.contract.Settle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The outbox: a task enqueued in the caller's transaction exists exactly when that transaction commits. */
class OutboxIT {
  private final TestDatabase db = TestDatabase.get();

  @Test
  void aRolledBackTransactionLeavesNoTaskAndACommittedOneWakesTheWorker() throws Exception {
    String schema = db.migratedSchema("outbox");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "events").schema(schema).build();
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + schema + ".orders (id int primary key)");
    }
    try (Source source = q.source()) {
      try (Connection c = db.connect()) {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
          st.execute("INSERT INTO " + schema + ".orders VALUES (1)");
        }
        q.enqueue(c, "order.created", "{\"id\":1}".getBytes(StandardCharsets.UTF_8), Map.of());
        c.rollback();
      }
      assertThat(source.poll(10, Duration.ofMillis(300))).isEmpty();

      CompletableFuture<List<? extends Delivery>> waiting = CompletableFuture.supplyAsync(() -> {
        try {
          return source.poll(10, Duration.ofSeconds(60));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      String id;
      try (Connection c = db.connect()) {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
          st.execute("INSERT INTO " + schema + ".orders VALUES (2)");
        }
        id = q.enqueueBatch(c, List.of(NewTask.of("order.created", "{\"id\":2}".getBytes(StandardCharsets.UTF_8))))
            .get(0);
        c.commit();
      }
      // a poll waiting up to 60 s returns once the commit notifies it (generous bound: this is not a timing test)
      List<? extends Delivery> got = waiting.get(30, TimeUnit.SECONDS);
      assertThat(got).singleElement().satisfies(d -> assertThat(d.message().id()).isEqualTo(id));
      Settle.complete(got.get(0));
    }
  }

  @Test
  void enqueueingAnExistingIdChangesNothing() throws Exception {
    String schema = db.migratedSchema("outbox_idem");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "events").schema(schema).build();
    assertThat(q.enqueue(NewTask.of("t", new byte[] {1}).withId("order-7"))).isEqualTo("order-7");
    assertThat(q.enqueue(NewTask.of("t", new byte[] {2}).withId("order-7"))).isEqualTo("order-7");
    try (Source s = q.source()) {
      List<? extends Delivery> got = s.poll(10, Duration.ofSeconds(5));
      assertThat(got).singleElement().satisfies(d -> assertThat(d.message().payload()).containsExactly(1));
      Settle.complete(got.get(0));
    }
  }

  @Test
  void tasksScheduledLaterWaitForTheirTime() throws Exception {
    TestClock clock = TestClock.atNow();
    String schema = db.migratedSchema("outbox_later");
    PostgresQueue q = PostgresQueue.builder(db.dataSource(), "events").schema(schema).clock(clock).build();
    q.enqueue(NewTask.of("t", new byte[] {1}).withRunAt(clock.instant().plusSeconds(60)));
    try (Source s = q.source()) {
      assertThat(s.poll(10, Duration.ZERO)).isEmpty();
      clock.advance(Duration.ofSeconds(61));
      assertThat(s.poll(10, Duration.ZERO)).hasSize(1).allSatisfy(Settle::complete);
    }
  }
}
