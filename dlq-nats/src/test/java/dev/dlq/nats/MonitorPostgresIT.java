package dev.dlq.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.ReplayRequest;
import dev.dlq.RetryPolicy;
import dev.dlq.StoredDeadLetter;
import dev.dlq.Worker;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The seed's pipeline end to end: a worker dead-letters to {@code <prefix>.dlq.<type>}, the DLQ monitor
 * copies every dead letter into the PostgreSQL store (and alerts on SYSTEM_ERROR), an operator replays
 * from PostgreSQL and the message goes back to its NATS subject byte-exact.
 */
class MonitorPostgresIT extends NatsITBase {

  @Test
  void deadLettersAreCopiedIntoPostgresAndReplayBackToNats() throws Exception {
    TestDatabase db = TestDatabase.get();
    String schema = db.migratedSchema("nats_monitor");
    PostgresDeadLetterStore pg = PostgresDeadLetterStore.builder(db.dataSource()).schema(schema)
        .replayer("nats", (d, replayId, tx) -> nats.replay(d.deadLetter(), replayId)).build();

    byte[] payload = {'{', '"', 'f', '"', ':', 1, '}', (byte) 0xc3};
    publish("soil_ready", payload, Map.of("tenant", "farm-7"));
    publish("db_write", "x".getBytes(StandardCharsets.UTF_8), Map.of());
    AtomicBoolean fixed = new AtomicBoolean(false);
    List<Message> succeeded = new CopyOnWriteArrayList<>();
    RetryPolicy policy = RetryPolicy.fixed(Duration.ofMillis(100), 2);
    Source source = closeLater(nats.source(stream, "w").build());
    closeLater(Worker.builder(source, m -> {
      if (fixed.get()) {
        succeeded.add(m);
        return Outcome.success();
      }
      if (m.type().equals("db_write")) {
        throw new IllegalStateException("DatabaseError: relation is locked");
      }
      throw new IllegalArgumentException("soil reading out of range");
    }).retryPolicy(policy).sink(nats.store()).pollWait(Duration.ofMillis(300)).build()).start();

    List<StoredDeadLetter> alerts = new CopyOnWriteArrayList<>();
    DlqMonitor monitor = closeLater(nats.monitor().sink(pg).alerts(alerts::add).build()).start();

    await(() -> pg.count(DeadLetterFilter.all()) == 2, Duration.ofSeconds(60), "both dead letters in PostgreSQL");
    await(() -> monitor.handled() == 2, Duration.ofSeconds(10), "both handled");
    StoredDeadLetter soil = pg.find(dev.dlq.DeadLetterQuery.of(DeadLetterFilter.builder().type("soil_ready").build(), 5))
        .items().get(0);
    assertThat(soil.deadLetter().reason()).isEqualTo(DeadLetterReason.NON_RETRYABLE);
    assertThat(soil.deadLetter().errorClass()).isEqualTo(ErrorClass.USER_ERROR);
    assertThat(soil.deadLetter().message().payload()).isEqualTo(payload);
    assertThat(soil.deadLetter().message().headers()).containsEntry("tenant", "farm-7");
    assertThat(soil.deadLetter().message().source().destination()).isEqualTo(subject("soil_ready"));
    assertThat(soil.id()).isEqualTo(nats.store().get(soil.id()).orElseThrow().id());
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.deadLetter().message().type()).isEqualTo("db_write");
      assertThat(a.deadLetter().errorClass()).isEqualTo(ErrorClass.SYSTEM_ERROR);
    });
    assertThat(monitor.count(DlqAction.STORE)).isEqualTo(1);
    assertThat(monitor.count(DlqAction.ALERT)).isEqualTo(1);

    // the operator works in PostgreSQL: replay goes back to the NATS subject with a fresh budget
    fixed.set(true);
    assertThat(pg.replay(ReplayRequest.ofIds(List.of(soil.id()), "ops")).replayed()).isEqualTo(1);
    await(() -> succeeded.size() == 1, Duration.ofSeconds(30), "the replayed message processed");
    Message back = succeeded.get(0);
    assertThat(back.payload()).isEqualTo(payload);
    assertThat(back.id()).isEqualTo(soil.deadLetter().message().id());
    assertThat(back.headers()).isEqualTo(soil.deadLetter().message().headers());
    assertThat(back.attempt()).isEqualTo(1);
    assertThat(pg.get(soil.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.REPLAYED);
  }
}
