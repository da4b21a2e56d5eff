package dev.dlq.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.StoredDeadLetter;
import dev.dlq.Worker;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Source;
import io.nats.client.api.MessageInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** SUCCESS, RETRY and DEAD_LETTER through a {@link Worker} on a real JetStream consumer. */
class WorkerIT extends NatsITBase {
  private static final RetryPolicy THREE_QUICK = RetryPolicy.fixed(Duration.ofMillis(200), 3);

  private final Map<Worker, dev.dlq.contract.CountingObserver> observed = new ConcurrentHashMap<>();

  private Worker worker(Source source, dev.dlq.Processor p, RetryPolicy policy) {
    dev.dlq.contract.CountingObserver o = new dev.dlq.contract.CountingObserver();
    Worker w = closeLater(Worker.builder(source, p).retryPolicy(policy).sink(nats.store()).concurrency(4).observer(o)
        .pollWait(Duration.ofMillis(500)).shutdownTimeout(Duration.ofSeconds(10)).build());
    observed.put(w, o);
    return w;
  }

  private dev.dlq.contract.CountingObserver metrics(Worker w) {
    return observed.get(w);
  }

  @Test
  void successRetryAndDeadLetterSettleEveryMessage() throws Exception {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    Map<String, Integer> succeededAt = new ConcurrentHashMap<>();
    dev.dlq.Processor p = m -> {
      int n = calls.computeIfAbsent(m.type(), k -> new AtomicInteger()).incrementAndGet();
      switch (m.type()) {
        case "ok":
          succeededAt.put(m.type(), m.attempt());
          return Outcome.success();
        case "flaky":
          if (m.attempt() < 3) {
            throw new IOException("upstream timeout " + n);
          }
          succeededAt.put(m.type(), m.attempt());
          return Outcome.success();
        case "poison":
          throw new IllegalStateException("bug on attempt " + m.attempt());
        case "bad":
          throw new IllegalArgumentException("field 'farm' is missing");
        default:
          return Outcome.deadLetter("the processor refuses type " + m.type());
      }
    };
    byte[] poison = {0, 1, 2, (byte) 0xff, (byte) 0xfe, '\n', 'x'};
    for (String t : List.of("ok", "flaky", "bad", "reject")) {
      publish(t, t.getBytes(StandardCharsets.UTF_8), Map.of("tenant", "acme"));
    }
    long poisonSeq = publish("poison", poison, Map.of("tenant", "acme", "trace", "t-9"));
    Source source = closeLater(nats.source(stream, "w").build());
    Worker w = worker(source, p, THREE_QUICK).start();

    awaitDrained("w", Duration.ofSeconds(60));
    DeadLetterStore store = nats.store();
    await(() -> store.count(DeadLetterFilter.all()) == 3, Duration.ofSeconds(30), "three dead letters");

    assertThat(succeededAt).containsEntry("ok", 1).containsEntry("flaky", 3);
    assertThat(calls.get("poison").get()).isEqualTo(3);
    assertThat(calls.get("bad").get()).isEqualTo(1);
    assertThat(metrics(w).deadLetteredTotal()).isEqualTo(3);
    assertThat(metrics(w).retriesTotal()).isEqualTo(4);

    StoredDeadLetter dead = only(store, "poison");
    DeadLetter dl = dead.deadLetter();
    assertThat(dl.reason()).isEqualTo(DeadLetterReason.EXHAUSTED);
    assertThat(dl.errorClass()).isEqualTo(ErrorClass.SYSTEM_ERROR);
    assertThat(dl.errorType()).isEqualTo(IllegalStateException.class.getName());
    assertThat(dl.attempts()).isEqualTo(3);
    assertThat(dl.history()).extracting(a -> a.number()).containsExactly(1, 2, 3);
    assertThat(dl.message().payload()).isEqualTo(poison);
    assertThat(dl.message().headers()).containsEntry("tenant", "acme").containsEntry("trace", "t-9");
    assertThat(dl.message().id()).isEqualTo(stream + ":" + poisonSeq);
    assertThat(dl.message().source().destination()).isEqualTo(subject("poison"));
    assertThat(dl.stackTrace()).contains("IllegalStateException: bug on attempt 3");
    assertThat(dead.status()).isEqualTo(DeadLetterStatus.PENDING);
    assertThat(only(store, "bad").deadLetter().reason()).isEqualTo(DeadLetterReason.NON_RETRYABLE);
    assertThat(only(store, "reject").deadLetter().reason()).isEqualTo(DeadLetterReason.REJECTED);

    // the DLQ message itself: <prefix>.dlq.<type>, payload byte-exact, readable headers
    MessageInfo mi = conn.jetStreamManagement().getLastMessage(nats.dlqStream(), prefix + ".dlq.poison");
    assertThat(mi.getData()).isEqualTo(poison);
    assertThat(mi.getHeaders().getFirst(NatsHeaders.NATS_MSG_ID)).isEqualTo(dl.id());
    assertThat(mi.getHeaders().getFirst(NatsHeaders.ERROR_CLASS)).isEqualTo("SYSTEM_ERROR");
    assertThat(mi.getHeaders().getFirst(NatsHeaders.ERROR_TYPE)).isEqualTo(IllegalStateException.class.getName());
    assertThat(mi.getHeaders().getFirst(NatsHeaders.ERROR_MESSAGE)).isEqualTo("bug on attempt 3");
    assertThat(mi.getHeaders().getFirst(NatsHeaders.ATTEMPTS)).isEqualTo("3");
    assertThat(mi.getHeaders().getFirst(NatsHeaders.ORIGINAL_SUBJECT)).isEqualTo(subject("poison"));
    assertThat(mi.getHeaders().getFirst(NatsHeaders.ORIGINAL_STREAM)).isEqualTo(stream);
    assertThat(mi.getHeaders().getFirst(NatsHeaders.ORIGINAL_SEQUENCE)).isEqualTo(Long.toString(poisonSeq));
    assertThat(mi.getHeaders().getFirst(NatsHeaders.REASON)).isEqualTo("EXHAUSTED");
    assertThat(dlqMessages()).isEqualTo(3);
  }

  @Test
  void retryWaitsForThePolicyDelay() throws Exception {
    List<Long> seen = new CopyOnWriteArrayList<>();
    dev.dlq.Processor p = m -> {
      seen.add(System.nanoTime());
      if (m.attempt() == 1) {
        throw new IOException("try later");
      }
      return Outcome.success();
    };
    RetryPolicy policy = RetryPolicy.fixed(Duration.ofMillis(1500), 3);
    publish("t", "x".getBytes(StandardCharsets.UTF_8), Map.of());
    Source source = closeLater(nats.source(stream, "w").build());
    worker(source, p, policy).start();

    await(() -> seen.size() == 2, Duration.ofSeconds(30), "the retry");
    long gapMillis = (seen.get(1) - seen.get(0)) / 1_000_000;
    assertThat(gapMillis).as("the nak delay is honoured").isBetween(1400L, 15_000L);
    awaitDrained("w", Duration.ofSeconds(10));
  }

  @Test
  void undecodableMessageIsDeadLetteredAtOnceAsInvalid() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    publish("x", "no type".getBytes(StandardCharsets.UTF_8), Map.of());
    Source source = closeLater(nats.source(stream, "w").typeRule(TypeRule.header(NatsHeaders.TYPE)).build());
    Worker w = worker(source, m -> {
      calls.incrementAndGet();
      return Outcome.success();
    }, THREE_QUICK).start();

    await(() -> nats.store().count(DeadLetterFilter.all()) == 1, Duration.ofSeconds(30), "the INVALID dead letter");
    StoredDeadLetter s = nats.store().find(dev.dlq.DeadLetterQuery.of(DeadLetterFilter.all(), 10)).items().get(0);
    assertThat(s.deadLetter().reason()).isEqualTo(DeadLetterReason.INVALID);
    assertThat(s.deadLetter().attempts()).isEqualTo(1);
    assertThat(s.deadLetter().message().payloadAsString()).isEqualTo("no type");
    assertThat(s.deadLetter().errorMessage()).contains("cannot tell the type");
    assertThat(calls.get()).isZero();
    assertThat(metrics(w).deadLetteredTotal()).isEqualTo(1);
    awaitDrained("w", Duration.ofSeconds(10));
  }

  @Test
  void inProgressAcksKeepALongTaskFromBeingDeliveredTwice() throws Exception {
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    dev.dlq.Processor slow = m -> {
      runs.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet();
      Thread.sleep(5000);
      return Outcome.success();
    };
    publish("slow", "x".getBytes(StandardCharsets.UTF_8), Map.of());
    // two workers on one consumer with a 2 s ack wait: without in-progress acks the second would get it too
    for (int i = 0; i < 2; i++) {
      Source s = closeLater(nats.source(stream, "w").ackWait(Duration.ofSeconds(2)).maxDeliver(10).build());
      worker(s, slow, THREE_QUICK).start();
    }
    awaitDrained("w", Duration.ofSeconds(30));
    assertThat(runs).hasSize(1);
    assertThat(runs.values().iterator().next().get()).as("processed once, never redelivered").isEqualTo(1);
  }

  private static StoredDeadLetter only(DeadLetterStore store, String type) {
    List<StoredDeadLetter> items = store.find(dev.dlq.DeadLetterQuery.of(DeadLetterFilter.builder().type(type).build(), 10))
        .items();
    assertThat(items).as("dead letters of type " + type).hasSize(1);
    return items.get(0);
  }
}
