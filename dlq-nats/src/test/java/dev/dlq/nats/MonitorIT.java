package dev.dlq.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.InMemory;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.SourceRef;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The DLQ monitor: store, alert, retry and discard as the seed's DLQ consumer does. */
class MonitorIT extends NatsITBase {

  private DeadLetter deadLetter(String type, ErrorClass errorClass, String errorType) {
    Message m = new Message("id-" + type, type, ("payload of " + type).getBytes(StandardCharsets.UTF_8),
        Map.of("tenant", "acme"), SourceRef.of("nats", subject(type)), 3, Instant.now());
    return DeadLetter.builder(m).errorClass(errorClass).errorType(errorType).errorMessage("failed")
        .reason(DeadLetterReason.EXHAUSTED).workerId("w").build();
  }

  @Test
  void monitorStoresAlertsRetriesAndDiscards() throws Exception {
    DeadLetterStore copy = InMemory.create().store();
    List<StoredDeadLetter> alerts = new CopyOnWriteArrayList<>();
    DeadLetter stored = deadLetter("plain", ErrorClass.RECOVERABLE, "java.io.IOException");
    DeadLetter critical = deadLetter("db", ErrorClass.SYSTEM_ERROR, "app.DatabaseError");
    DeadLetter retried = deadLetter("retryme", ErrorClass.RECOVERABLE, "java.util.concurrent.TimeoutException");
    DeadLetter discarded = deadLetter("junk", ErrorClass.USER_ERROR, "java.lang.IllegalArgumentException");
    for (DeadLetter dl : List.of(stored, critical, retried, discarded)) {
      nats.store().record(dl);
    }
    DlqMonitor monitor = closeLater(nats.monitor().sink(copy)
        .decider(d -> {
          String type = d.deadLetter().message().type();
          if (type.equals("junk")) {
            return DlqAction.DISCARD;
          }
          if (type.equals("retryme") && d.replayCount() == 0) {
            return DlqAction.RETRY;
          }
          return DlqMonitor.Decider.defaults().decide(d);
        })
        .alerts(alerts::add)
        .build()).start();

    await(() -> monitor.handled() == 4, Duration.ofSeconds(30), "all four handled");
    assertThat(monitor.count(DlqAction.STORE)).isEqualTo(1);
    assertThat(monitor.count(DlqAction.ALERT)).isEqualTo(1);
    assertThat(monitor.count(DlqAction.RETRY)).isEqualTo(1);
    assertThat(monitor.count(DlqAction.DISCARD)).isEqualTo(1);
    assertThat(copy.get(stored.id())).isPresent();
    assertThat(copy.get(critical.id())).isPresent();
    assertThat(copy.get(critical.id()).get().deadLetter().message().payloadAsString()).isEqualTo("payload of db");
    assertThat(copy.get(retried.id())).isEmpty();
    assertThat(copy.get(discarded.id())).isEmpty();
    assertThat(alerts).extracting(StoredDeadLetter::id).containsExactly(critical.id());
    assertThat(nats.store().get(discarded.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.DISCARDED);
    assertThat(nats.store().get(retried.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.REPLAYED);
    assertThat(nats.store().audit(10)).anySatisfy(e -> assertThat(e.operator()).isEqualTo(DlqMonitor.OPERATOR));

    // the retried one is back on its original subject
    Source work = closeLater(nats.source(stream, "check").backstop(false).build());
    List<? extends Delivery> back = List.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (back.isEmpty() && System.nanoTime() < deadline) {
      back = work.poll(10, Duration.ofMillis(500));
    }
    assertThat(back).singleElement().satisfies(d -> {
      assertThat(d.message().id()).isEqualTo("id-retryme");
      assertThat(d.message().payloadAsString()).isEqualTo("payload of retryme");
    });

    // a new dead letter is followed too, and a failing sink is retried rather than skipped
    DeadLetter late = deadLetter("late", ErrorClass.RECOVERABLE, "java.io.IOException");
    nats.store().record(late);
    await(() -> copy.get(late.id()).isPresent(), Duration.ofSeconds(30), "the late dead letter copied");
  }

  @Test
  void aFailingSinkIsTriedAgainUntilItWorks() throws Exception {
    DeadLetterStore copy = InMemory.create().store();
    java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger(2);
    dev.dlq.spi.DeadLetterSink flaky = dl -> {
      if (failures.getAndDecrement() > 0) {
        throw new dev.dlq.DlqException("database down");
      }
      return copy.record(dl);
    };
    DeadLetter dl = deadLetter("plain", ErrorClass.RECOVERABLE, "java.io.IOException");
    nats.store().record(dl);
    DlqMonitor monitor = closeLater(nats.monitor().sink(flaky).retryBackoff(Duration.ofMillis(200)).build()).start();
    await(() -> copy.get(dl.id()).isPresent(), Duration.ofSeconds(30), "copied after two failures");
    // the count moves after the hand-over that follows the sink's write
    await(() -> monitor.count(DlqAction.STORE) >= 1, Duration.ofSeconds(10), "the store counted");
    assertThat(monitor.count(DlqAction.STORE)).isEqualTo(1);
  }

  @Test
  void theObserverHearsEachRecordInTheSinkWithTheSinksResult() throws Exception {
    DeadLetterStore copy = InMemory.create().store();
    DeadLetter stored = deadLetter("plain", ErrorClass.RECOVERABLE, "java.io.IOException");
    DeadLetter critical = deadLetter("db", ErrorClass.SYSTEM_ERROR, "app.DatabaseError");
    DeadLetter known = deadLetter("known", ErrorClass.USER_ERROR, "java.lang.IllegalArgumentException");
    DeadLetter discarded = deadLetter("junk", ErrorClass.USER_ERROR, "java.lang.IllegalArgumentException");
    copy.record(known); // already in the sink: recording it again changes nothing
    for (DeadLetter dl : List.of(stored, critical, known, discarded)) {
      nats.store().record(dl);
    }
    List<String> heard = new CopyOnWriteArrayList<>();
    DlqObserver observer = new DlqObserver() {
      @Override
      public void deadLettered(DeadLetter deadLetter, RecordResult result, Duration took) {
        heard.add(deadLetter.message().type() + "=" + result);
      }
    };
    DlqMonitor monitor = closeLater(nats.monitor().sink(copy).observer(observer)
        .decider(d -> d.deadLetter().message().type().equals("junk") ? DlqAction.DISCARD : DlqMonitor.Decider.defaults().decide(d))
        .alerts(d -> { })
        .build()).start();

    await(() -> monitor.handled() == 4, Duration.ofSeconds(30), "all four handled");
    assertThat(heard).as("STORE and ALERT records, once each, with the sink's result; not the discard")
        .containsExactlyInAnyOrder("plain=CREATED", "db=CREATED", "known=ALREADY_RECORDED");
  }
}
