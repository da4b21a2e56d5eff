package dev.dlq.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterFilter;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.StoreUnavailableException;
import dev.dlq.Worker;
import dev.dlq.contract.CountingObserver;
import dev.dlq.contract.TestContext;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.DlqGauge;
import dev.dlq.spi.Source;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A PostgreSQL source as its worker binds it: transaction scope by value, gauges, the budget on claim. */
class BoundSourceIT {
  private final TestDatabase db = TestDatabase.get();

  /** A pool wrapped the way instrumentation wraps it: a different object over the same database. */
  private static DataSource wrapped(DataSource inner) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> method.invoke(inner, args));
  }

  @Test
  void aWrappedPoolStillSharesTheTransactionBecauseTheScopeIsComparedByValue() {
    String schema = db.migratedSchema("scope");
    PostgresQueue queue = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).build();
    PostgresDeadLetterStore viaWrapper = PostgresDeadLetterStore.builder(wrapped(db.dataSource())).schema(schema).build();
    String other = db.migratedSchema("scope_other");
    PostgresDeadLetterStore otherSchema = PostgresDeadLetterStore.builder(db.dataSource()).schema(other).build();
    try (Source source = queue.source()) {
      assertThat(source.transactionScope()).isPresent().isEqualTo(viaWrapper.transactionScope());
      assertThat(source.transactionScope().get()).endsWith("/" + schema);
      assertThat(otherSchema.transactionScope()).isNotEqualTo(source.transactionScope());
      assertThat(TestContext.of(source, viaWrapper).sinkSharesTransaction()).isTrue();
      assertThat(TestContext.of(source, otherSchema).sinkSharesTransaction()).isFalse();
    }
  }

  @Test
  void theWorkersBudgetIsWrittenOnTheTaskAndDeathsGoToItsSink() throws Exception {
    String schema = db.migratedSchema("budget");
    PostgresQueue queue = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).build();
    String id = queue.enqueue("t", new byte[] {1}, Map.of());
    CountingObserver counts = new CountingObserver();
    try (Worker w = Worker.builder(queue.source(), m -> {
      throw new IllegalStateException("always");
    }).retryPolicy(RetryPolicy.fixed(Duration.ZERO, 7)).observer(counts).pollWait(Duration.ofMillis(100))
        .build().start()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (counts.deadLetteredTotal() < 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    PostgresDeadLetterStore store = queue.deadLetterStore();
    assertThat(store.count(DeadLetterFilter.all())).isEqualTo(1);
    assertThat(store.find(dev.dlq.DeadLetterQuery.of(DeadLetterFilter.all(), 1)).items().get(0).deadLetter().attempts())
        .isEqualTo(7);
    try (Connection c = db.connect(); var st = c.createStatement();
        var rs = st.executeQuery("SELECT max_attempts FROM " + schema + ".tasks WHERE id = '" + id + "'")) {
      if (rs.next()) { // DEAD rows are kept 7 days by default
        assertThat(rs.getInt(1)).as("the policy's budget, written on claim").isEqualTo(7);
      }
    }
  }

  @Test
  void queueDepthAndOldestReadyAgeAreReportedWithoutTheAppsHelp() throws Exception {
    String schema = db.migratedSchema("depth");
    PostgresQueue queue = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).build();
    for (int i = 0; i < 3; i++) {
      queue.enqueue("t", new byte[] {(byte) i}, Map.of());
    }
    Thread.sleep(1100);
    CountingObserver counts = new CountingObserver();
    try (Source source = queue.source()) {
      source.open(TestContext.of(source, queue.deadLetterStore()).withObserver(counts));
      assertThat(counts.gauge(DlqGauge.QUEUE_READY, List.of("postgres:jobs"))).isEqualTo(3);
      assertThat(counts.gauge(DlqGauge.QUEUE_OLDEST_READY_SECONDS, List.of("postgres:jobs"))).isGreaterThanOrEqualTo(1);
    }
    assertThat(counts.gauge(DlqGauge.QUEUE_READY)).as("closing the source stops the gauge").isZero();
  }

  @Test
  void anUnreachableServerIsAStoreUnavailableException() {
    DataSource nowhere = new org.postgresql.ds.PGSimpleDataSource() {
      {
        setURL("jdbc:postgresql://127.0.0.1:1/postgres");
        setConnectTimeout(2);
      }
    };
    PostgresDeadLetterStore store = PostgresDeadLetterStore.builder(nowhere).build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.count(DeadLetterFilter.all()))
        .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.backend()).isEqualTo("postgres"))
        .hasCauseInstanceOf(java.sql.SQLException.class);
  }
}
