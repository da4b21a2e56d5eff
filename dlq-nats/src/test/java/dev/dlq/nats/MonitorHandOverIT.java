package dev.dlq.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.DlqException;
import dev.dlq.ErrorClass;
import dev.dlq.InMemory;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.SourceRef;
import dev.dlq.StoredDeadLetter;
import dev.dlq.nats.internal.TestAccess;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DeadLetterStore;
import io.nats.client.PublishOptions;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The monitor's hand-over (a stored dead letter becomes RESOLVED in NATS) across the crashes around it:
 * after the sink write, after the hand-over, and a DLQ message read before its state was written.
 */
class MonitorHandOverIT extends NatsITBase {

  private DeadLetter deadLetter(String type) {
    Message m = new Message("id-" + type, type, ("payload of " + type).getBytes(StandardCharsets.UTF_8),
        Map.of(), SourceRef.of("nats", subject(type)), 1, Instant.now());
    return DeadLetter.builder(m).errorClass(ErrorClass.USER_ERROR).errorType("java.lang.IllegalArgumentException")
        .errorMessage("bad").reason(DeadLetterReason.NON_RETRYABLE).workerId("w").build();
  }

  private List<AuditEntry> handOvers() {
    return nats.store().audit(50).stream().filter(e -> e.operator().equals(DlqMonitor.OPERATOR)).toList();
  }

  private boolean monitorDrained(String durable) {
    try {
      ConsumerInfo ci = conn.jetStreamManagement().getConsumerInfo(nats.dlqStream(), durable);
      return ci.getNumPending() == 0 && ci.getNumAckPending() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void aCrashAfterTheSinkWriteRecordsOnceThenHandsOver() throws Exception {
    DeadLetterStore copy = InMemory.create().store();
    AtomicBoolean crash = new AtomicBoolean(true);
    List<RecordResult> results = new CopyOnWriteArrayList<>();
    DeadLetterSink crashesAfterWriting = dl -> {
      results.add(copy.record(dl));
      if (crash.getAndSet(false)) {
        throw new DlqException("monitor died after the sink write");
      }
      return results.get(results.size() - 1);
    };
    DeadLetter dl = deadLetter("plain");
    nats.store().record(dl);
    DlqMonitor monitor = closeLater(nats.monitor().sink(crashesAfterWriting).retryBackoff(Duration.ofMillis(200))
        .build()).start();

    await(() -> monitor.handled() == 1, Duration.ofSeconds(30), "handled after the redelivery");
    assertThat(results).as("the redelivery finds its copy").containsExactly(RecordResult.CREATED,
        RecordResult.ALREADY_RECORDED);
    assertThat(copy.get(dl.id()).orElseThrow().deathCount()).isEqualTo(1);
    StoredDeadLetter inNats = nats.store().get(dl.id()).orElseThrow();
    assertThat(inNats.status()).isEqualTo(DeadLetterStatus.RESOLVED);
    assertThat(inNats.deathCount()).isEqualTo(1);
    assertThat(handOvers()).singleElement().satisfies(e -> {
      assertThat(e.target()).isEqualTo(dl.id());
      assertThat(e.detail()).isEqualTo("stored in the monitor's sink (consumer dlq-monitor)");
    });
  }

  @Test
  void aDeathHandedOverBeforeACrashIsNotCopiedAgain() throws Exception {
    DeadLetterStore copy = InMemory.create().store();
    DeadLetter dl = deadLetter("plain");
    nats.store().record(dl);
    DlqMonitor first = nats.monitor().sink(copy).build().start();
    await(() -> first.handled() == 1 && monitorDrained("dlq-monitor"), Duration.ofSeconds(30), "handed over");
    first.close();
    assertThat(nats.store().get(dl.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.RESOLVED);
    // the operator settles the copy; then the DLQ message comes again to the same consumer (as after a
    // crash between the hand-over and the ack): the consumer is recreated and reads from the start
    assertThat(copy.resolve(List.of(dl.id()), "ops", "fixed by hand")).isEqualTo(1);
    conn.jetStreamManagement().deleteConsumer(nats.dlqStream(), "dlq-monitor");
    List<StoredDeadLetter> decided = new CopyOnWriteArrayList<>();
    DlqMonitor again = closeLater(nats.monitor().sink(copy).decider(d -> {
      decided.add(d);
      return DlqAction.STORE;
    }).build()).start();

    await(() -> monitorDrained("dlq-monitor"), Duration.ofSeconds(30), "the DLQ read again");
    Thread.sleep(300); // an ack lands before the drained count; let a wrongly running handler finish
    assertThat(decided).as("a death this consumer handed over is acked and left alone").isEmpty();
    assertThat(again.handled()).isZero();
    StoredDeadLetter inCopy = copy.get(dl.id()).orElseThrow();
    assertThat(inCopy.status()).as("not reopened by a stale death").isEqualTo(DeadLetterStatus.RESOLVED);
    assertThat(inCopy.deathCount()).isEqualTo(1);
    assertThat(handOvers()).hasSize(1);
  }

  @Test
  void aDlqMessageReadBeforeItsStateWasWrittenIsHandedOverOnce() throws Exception {
    DeadLetterStore copy = InMemory.create().store();
    // batch 1: a fetch returns as soon as the message is there, well before the state write
    DlqMonitor monitor = closeLater(nats.monitor().sink(copy).batch(1).build()).start();
    DeadLetter dl = deadLetter("slow");
    // a recorder's publish whose state write comes late: the monitor reads the message first
    conn.jetStream().publish(NatsMessage.builder().subject(prefix + ".dlq.slow").headers(TestAccess.headers(dl))
        .data(dl.message().payload()).build(), PublishOptions.builder().messageId(dl.id()).build());
    Thread.sleep(700);
    // the recorder goes on: its publish is a duplicate of the first, then it writes the state
    assertThat(nats.store().record(dl)).isEqualTo(RecordResult.CREATED);

    await(() -> monitor.handled() == 1 && monitorDrained("dlq-monitor"), Duration.ofSeconds(30), "handled");
    StoredDeadLetter inNats = nats.store().get(dl.id()).orElseThrow();
    assertThat(inNats.status()).isEqualTo(DeadLetterStatus.RESOLVED);
    assertThat(inNats.deathCount()).as("one death, not two").isEqualTo(1);
    assertThat(dlqMessages()).isEqualTo(1);
    assertThat(copy.get(dl.id()).orElseThrow().deathCount()).isEqualTo(1);
    assertThat(monitor.handled()).isEqualTo(1);
  }
}
