package dev.dlq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.InMemory;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Source} must do. Subclass it per backend: {@link #newSource()} returns a source
 * over a fresh, empty destination and {@link #enqueue} puts a message on that destination.
 */
public abstract class SourceContract {
  protected Source source;

  /** A source over a fresh, empty destination. */
  protected abstract Source newSource() throws Exception;

  /** Puts a message on the destination of {@link #source}; returns its message id as the source will report it. */
  protected abstract String enqueue(String type, byte[] payload, Map<String, String> headers) throws Exception;

  /** Whether the backend keeps message headers (all of ours do). */
  protected boolean keepsHeaders() {
    return true;
  }

  /** The sink the source is opened with, where dead letters go; by default an in-memory store. */
  protected DeadLetterSink sink() {
    return memorySink;
  }

  /** The longest the contract waits for a message that should come. */
  protected Duration patience() {
    return Duration.ofSeconds(20);
  }

  private final DeadLetterStore memorySink = InMemory.create().store();

  @BeforeEach
  void openSource() throws Exception {
    source = newSource();
    source.open(TestContext.of(source, sink()));
  }

  @AfterEach
  void closeSource() {
    if (source != null) {
      source.close();
    }
  }

  protected List<Delivery> pollUntil(int atLeast, int max) throws InterruptedException {
    List<Delivery> got = new ArrayList<>();
    long deadline = System.nanoTime() + patience().toNanos();
    while (got.size() < atLeast && System.nanoTime() < deadline) {
      got.addAll(source.poll(max - got.size(), Duration.ofMillis(500)));
    }
    return got;
  }

  private static byte[] allBytes() {
    byte[] b = new byte[512];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  @Test
  void deliversPayloadByteExactWithHeadersAndFirstAttempt() throws Exception {
    byte[] payload = allBytes();
    Map<String, String> headers = Map.of("tenant", "acme", "trace-id", "t-1");
    String id = enqueue("order.created", payload, headers);

    List<Delivery> got = pollUntil(1, 10);

    assertThat(got).hasSize(1);
    Message m = got.get(0).message();
    assertThat(m.id()).isEqualTo(id);
    assertThat(m.type()).isEqualTo("order.created");
    assertThat(m.payload()).isEqualTo(payload);
    assertThat(m.attempt()).isEqualTo(1);
    if (keepsHeaders()) {
      assertThat(m.headers()).containsAllEntriesOf(headers);
    }
    assertThat(got.get(0).decodeFailure()).isEmpty();
    Settle.complete(got.get(0));
  }

  @Test
  void neverReturnsMoreThanAsked() throws Exception {
    for (int i = 0; i < 5; i++) {
      enqueue("t", new byte[] {(byte) i}, Map.of());
    }
    List<Delivery> first = new ArrayList<>();
    long deadline = System.nanoTime() + patience().toNanos();
    while (first.isEmpty() && System.nanoTime() < deadline) {
      first.addAll(source.poll(2, Duration.ofMillis(500)));
    }
    assertThat(first).hasSizeBetween(1, 2);
    List<Delivery> rest = pollUntil(5 - first.size(), 5 - first.size());
    assertThat(rest).hasSize(5 - first.size());
    Set<String> ids = new HashSet<>();
    first.forEach(d -> ids.add(d.message().id()));
    rest.forEach(d -> ids.add(d.message().id()));
    assertThat(ids).as("no message claimed twice").hasSize(5);
    first.forEach(Settle::complete);
    rest.forEach(Settle::complete);
  }

  @Test
  void completedMessageIsGone() throws Exception {
    enqueue("t", "x".getBytes(), Map.of());
    Delivery d = pollUntil(1, 10).get(0);
    Settle.complete(d);
    assertThat(source.poll(10, Duration.ofSeconds(2))).isEmpty();
  }

  @Test
  void retryComesBackAfterTheDelayWithTheAttemptRaised() throws Exception {
    String id = enqueue("t", "x".getBytes(), Map.of());
    Delivery d = pollUntil(1, 10).get(0);
    Settle.retry(d, Duration.ofSeconds(3), attempt(1));

    assertThat(source.poll(10, Duration.ofMillis(300))).as("invisible during the delay").isEmpty();
    List<Delivery> again = pollUntil(1, 10);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).message().id()).isEqualTo(id);
    assertThat(again.get(0).message().attempt()).isEqualTo(2);
    Settle.complete(again.get(0));
  }

  @Test
  void releasedMessageComesBackAtOnce() throws Exception {
    String id = enqueue("t", "x".getBytes(), Map.of());
    Delivery d = pollUntil(1, 10).get(0);
    Settle.release(d);
    List<Delivery> again = pollUntil(1, 10);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).message().id()).isEqualTo(id);
    assertThat(again.get(0).message().attempt()).as("the attempt comes back where the source says it does")
        .isEqualTo(source.releaseKeepsAttempt() ? 1 : 2);
    Settle.complete(again.get(0));
  }

  @Test
  void aReleaseWithADelayHidesTheMessageForTheDelay() throws Exception {
    String id = enqueue("t", "x".getBytes(), Map.of());
    Delivery d = pollUntil(1, 10).get(0);
    Settle.release(d, Duration.ofSeconds(3));

    assertThat(source.poll(10, Duration.ofMillis(300))).as("invisible during the delay").isEmpty();
    List<Delivery> again = pollUntil(1, 10);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).message().id()).isEqualTo(id);
    assertThat(again.get(0).message().attempt()).isEqualTo(source.releaseKeepsAttempt() ? 1 : 2);
    Settle.complete(again.get(0));
  }

  @Test
  void deadLetteredMessageIsRecordedThenGone() throws Exception {
    String id = enqueue("t", "poison".getBytes(), Map.of("k", "v"));
    Delivery d = pollUntil(1, 10).get(0);
    DeadLetter dl = DeadLetter.builder(d.message()).errorClass(ErrorClass.USER_ERROR).errorType("test")
        .errorMessage("bad").reason(DeadLetterReason.NON_RETRYABLE).workerId("contract").build();

    RecordResult result = Settle.dead(d, dl);

    assertThat(result).isEqualTo(RecordResult.CREATED);
    assertThat(dl.message().id()).isEqualTo(id);
    if (sink() instanceof DeadLetterStore store) {
      assertThat(store.get(dl.id())).isPresent();
      assertThat(store.get(dl.id()).get().deadLetter().message().payload()).isEqualTo("poison".getBytes());
    }
    assertThat(source.poll(10, Duration.ofSeconds(2))).isEmpty();
  }

  @Test
  void emptyPollReturnsAnEmptyList() throws Exception {
    assertThat(source.poll(10, Duration.ofMillis(200))).isEmpty();
  }

  protected static Attempt attempt(int n) {
    return new Attempt(n, Instant.now(), ErrorClass.RECOVERABLE, "java.io.IOException", "boom", Duration.ofMillis(1),
        "contract");
  }
}
