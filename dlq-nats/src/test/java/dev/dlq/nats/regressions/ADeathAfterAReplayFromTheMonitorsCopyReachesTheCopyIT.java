package dev.dlq.nats.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ReplayJob;
import dev.dlq.ReplayPlan;
import dev.dlq.ReplayRunner;
import dev.dlq.RetryPolicy;
import dev.dlq.StoredDeadLetter;
import dev.dlq.Worker;
import dev.dlq.nats.DlqAction;
import dev.dlq.nats.DlqMonitor;
import dev.dlq.nats.NatsITBase;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Broke: the DLQ monitor copied a dead letter into PostgreSQL but left it PENDING in the NATS store.
 * Replayed from the copy, the message died again; the NATS sink found its record PENDING and returned
 * ALREADY_RECORDED without publishing, so the second death never reached the DLQ stream, the copy
 * stayed REPLAYED and the replay runner could not see that its canary died again.
 */
class ADeathAfterAReplayFromTheMonitorsCopyReachesTheCopyIT extends NatsITBase {

  @Test
  void theCopyIsReopenedAndTheRunnerStopsOnTheRepeatDeath() throws Exception {
    TestDatabase db = TestDatabase.get();
    String schema = db.migratedSchema("nats_handover");
    PostgresDeadLetterStore pg = closeLater(PostgresDeadLetterStore.builder(db.dataSource()).schema(schema)
        .replayer("nats", (d, replayId, tx) -> nats.replay(d.deadLetter(), replayId)).build());
    AtomicInteger processed = new AtomicInteger();
    Source source = closeLater(nats.source(stream, "w").build());
    closeLater(Worker.builder(source, m -> {
      processed.incrementAndGet();
      throw new IllegalArgumentException("soil reading out of range"); // never fixed: the replay dies again
    }).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(100), 2)).sink(nats.store())
        .pollWait(Duration.ofMillis(300)).build()).start();
    DlqMonitor monitor = closeLater(nats.monitor().sink(pg).build()).start();

    publish("soil_ready", "{\"moisture\":7.5}".getBytes(StandardCharsets.UTF_8), Map.of());
    await(() -> monitor.handled() == 1, Duration.ofSeconds(60), "the dead letter handled by the monitor");
    StoredDeadLetter copy = pg.find(dev.dlq.DeadLetterQuery.of(DeadLetterFilter.all(), 5)).items().get(0);
    assertThat(copy.status()).isEqualTo(DeadLetterStatus.PENDING);
    assertThat(copy.deathCount()).isEqualTo(1);
    String id = copy.id();

    // the operator works from the copy: a replay whose canary dies again must stop the job
    ReplayRunner runner = closeLater(ReplayRunner.of(pg));
    ReplayJob plan = runner.prepare(ReplayPlan.builder("ops").ids(List.of(id)).canaryWait(Duration.ofSeconds(15))
        .build());
    ReplayJob done = runner.run(plan.id());

    assertThat(processed.get()).as("the replay reached the worker").isEqualTo(2);
    assertThat(done.sent()).isEqualTo(1);
    assertThat(done.diedAgain()).as("the runner counts the canary as died again").isEqualTo(1);
    assertThat(done.state()).isEqualTo(ReplayJob.State.STOPPED);
    StoredDeadLetter reopened = pg.get(id).orElseThrow();
    assertThat(reopened.status()).as("the copy is reopened").isEqualTo(DeadLetterStatus.PENDING);
    assertThat(reopened.deathCount()).isEqualTo(2);
    assertThat(reopened.replayCount()).isEqualTo(1);
    assertThat(reopened.lastReplayId()).contains(plan.id());
    assertThat(dlqMessages()).as("the second death was published to the DLQ stream").isEqualTo(2);
    assertThat(monitor.count(DlqAction.STORE)).isEqualTo(2);

    // in NATS both deaths were handed over to the copy, each audited
    StoredDeadLetter inNats = nats.store().get(id).orElseThrow();
    assertThat(inNats.status()).isEqualTo(DeadLetterStatus.RESOLVED);
    assertThat(inNats.deathCount()).isEqualTo(2);
    List<AuditEntry> handovers = nats.store().audit(20).stream()
        .filter(e -> e.operator().equals(DlqMonitor.OPERATOR)).toList();
    assertThat(handovers).hasSize(2).allSatisfy(e -> {
      assertThat(e.action()).isEqualTo("resolve");
      assertThat(e.target()).isEqualTo(id);
      assertThat(e.count()).isEqualTo(1);
      assertThat(e.detail()).startsWith("stored in postgres:" + schema);
    });
  }
}
