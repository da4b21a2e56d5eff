package dev.dlq.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterReason;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.postgres.PostgresDeadLetterStore.Retention;
import dev.dlq.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retention per type and reason, audited. */
class RetentionIT {
  private final TestDatabase db = TestDatabase.get();

  private static DeadLetter dl(String id, String type, DeadLetterReason reason, Instant deadAt) {
    Message m = Message.of(id, type, new byte[] {1}, SourceRef.of("postgres", "q"), 1, deadAt.minusSeconds(1));
    return DeadLetter.builder(m).reason(reason).deadAt(deadAt).build();
  }

  @Test
  void rulesTrimOnlyWhatTheyName() {
    TestClock clock = new TestClock(Instant.parse("2026-03-01T00:00:00Z"));
    String schema = db.migratedSchema("retention");
    PostgresDeadLetterStore store = PostgresDeadLetterStore.builder(db.dataSource()).schema(schema).clock(clock).build();
    Instant old = clock.instant().minus(Duration.ofDays(40));
    Instant recent = clock.instant().minus(Duration.ofDays(2));
    DeadLetter oldInvalid = dl("a", "order", DeadLetterReason.INVALID, old);
    DeadLetter oldExhausted = dl("b", "order", DeadLetterReason.EXHAUSTED, old);
    DeadLetter oldInvoice = dl("c", "invoice", DeadLetterReason.INVALID, old);
    DeadLetter recentInvalid = dl("d", "order", DeadLetterReason.INVALID, recent);
    DeadLetter oldPendingInvalid = dl("e", "order", DeadLetterReason.INVALID, old);
    for (DeadLetter d : List.of(oldInvalid, oldExhausted, oldInvoice, recentInvalid, oldPendingInvalid)) {
      store.record(d);
    }
    store.resolve(List.of(oldInvalid.id(), oldExhausted.id(), oldInvoice.id(), recentInvalid.id()), "ops", "");

    List<Long> deleted = store.applyRetention(List.of(
        Retention.of(Duration.ofDays(30)).forType("order").forReason(DeadLetterReason.INVALID),
        Retention.of(Duration.ofDays(365))), "retention-job");

    assertThat(deleted).containsExactly(1L, 0L);
    assertThat(store.get(oldInvalid.id())).isEmpty();
    assertThat(store.count(DeadLetterFilter.all())).isEqualTo(4);
    assertThat(store.audit(10)).filteredOn(e -> e.action().equals("retention")).singleElement()
        .extracting(AuditEntry::count).isEqualTo(1L);

    assertThat(store.applyRetention(List.of(Retention.of(Duration.ofDays(30)).forType("order").includingPending()),
        "retention-job")).containsExactly(2L);
    assertThat(store.get(oldPendingInvalid.id())).isEmpty();
    assertThat(store.get(recentInvalid.id())).isPresent();
  }

  @Test
  void gaugesCountDeadLettersByStatus() {
    String schema = db.migratedSchema("gauges");
    dev.dlq.contract.CountingObserver metrics = new dev.dlq.contract.CountingObserver();
    PostgresDeadLetterStore store = PostgresDeadLetterStore.builder(db.dataSource()).schema(schema).observer(metrics)
        .build();
    dev.dlq.spi.DlqGauge g = dev.dlq.spi.DlqGauge.DEAD_LETTERS;
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    store.record(dl("a", "order", DeadLetterReason.INVALID, t));
    store.record(dl("b", "order", DeadLetterReason.INVALID, t));
    store.resolve(List.of(dl("b", "order", DeadLetterReason.INVALID, t).id()), "ops", "");
    // kept current by the store itself: the gauge reads the table (at most every 5 s) when scraped
    assertThat(metrics.gauge(g, java.util.List.of("postgres:" + schema, "pending"))).isEqualTo(1);
    assertThat(metrics.gauge(g, java.util.List.of("postgres:" + schema, "resolved"))).isEqualTo(1);
    assertThat(metrics.gauge(g, java.util.List.of("postgres:" + schema, "replayed"))).isZero();
    assertThat(metrics.gauge(g)).as("summed over the four statuses").isEqualTo(2);
  }
}
