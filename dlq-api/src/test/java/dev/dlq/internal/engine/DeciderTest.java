package dev.dlq.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.Attempt;
import dev.dlq.DeadLetterFormat;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.ErrorClassifier;
import dev.dlq.InvalidMessageException;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.SourceRef;
import dev.dlq.spi.Settlement;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pure decision step: (message, history, outcome or throwable) to a Settlement. */
class DeciderTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private final Decider decider = new Decider(RetryPolicy.fixed(Duration.ofSeconds(2), 3), ErrorClassifier.defaults(),
      DeadLetterFormat.defaults(), "w-1", Clock.fixed(NOW, ZoneOffset.UTC));
  private final AtomicInteger historyReads = new AtomicInteger();
  private final Attempt earlier = new Attempt(1, NOW.minusSeconds(5), ErrorClass.RECOVERABLE, "java.io.IOException",
      "first", Duration.ofMillis(3), "w-0");

  private static Message attempt(int n) {
    return Message.of("m-1", "order", "{}".getBytes(), SourceRef.of("memory", "q"), n, NOW.minusSeconds(60));
  }

  private List<Attempt> history() {
    historyReads.incrementAndGet();
    return List.of(earlier);
  }

  @Test
  void successCompletes() {
    assertThat(decider.onOutcome(attempt(1), this::history, Outcome.success(), 1000)).isEqualTo(Settlement.complete());
    assertThat(historyReads).as("history is read only to build a dead letter").hasValue(0);
  }

  @Test
  void aRecoverableFailureRetriesAfterThePolicyDelayWithTheAttemptRecorded() {
    Settlement s = decider.onThrowable(attempt(1), this::history, new IOException("timeout"), 3_000_000);
    assertThat(s).isInstanceOf(Settlement.Retry.class);
    Settlement.Retry r = (Settlement.Retry) s;
    assertThat(r.delay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(r.failed()).isEqualTo(new Attempt(1, NOW, ErrorClass.RECOVERABLE, "java.io.IOException", "timeout",
        Duration.ofMillis(3), "w-1"));
    assertThat(r.action()).isEqualTo("retry");
  }

  @Test
  void theLastAttemptGivesUpWithTheWholeHistory() {
    Settlement s = decider.onThrowable(attempt(3), this::history, new IOException("timeout"), 0);
    assertThat(s).isInstanceOf(Settlement.Dead.class);
    var dl = ((Settlement.Dead) s).deadLetter();
    assertThat(dl.reason()).isEqualTo(DeadLetterReason.EXHAUSTED);
    assertThat(dl.attempts()).isEqualTo(3);
    assertThat(dl.maxAttempts()).isEqualTo(3);
    assertThat(dl.history()).hasSize(2).first().isEqualTo(earlier);
    assertThat(dl.workerId()).isEqualTo("w-1");
    assertThat(dl.deadAt()).isEqualTo(NOW);
  }

  @Test
  void userErrorsRejectionsAndUndecodableMessagesDieAtOnce() {
    assertThat(((Settlement.Dead) decider.onThrowable(attempt(1), this::history, new IllegalArgumentException("bad"), 0))
        .deadLetter().reason()).isEqualTo(DeadLetterReason.NON_RETRYABLE);
    assertThat(((Settlement.Dead) decider.onThrowable(attempt(1), this::history, new InvalidMessageException("no id"), 0))
        .deadLetter().reason()).isEqualTo(DeadLetterReason.INVALID);
    var rejected = ((Settlement.Dead) decider.onOutcome(attempt(1), this::history, Outcome.deadLetter("out of stock"), 0))
        .deadLetter();
    assertThat(rejected.reason()).isEqualTo(DeadLetterReason.REJECTED);
    assertThat(rejected.errorMessage()).isEqualTo("out of stock");
    assertThat(((Settlement.Dead) decider.onUndecodable(attempt(1), this::history, new IllegalStateException("x")))
        .deadLetter().reason()).isEqualTo(DeadLetterReason.INVALID);
  }

  @Test
  void aRetryAskedForByTheProcessorIsRecoverableWithItsDelay() {
    Settlement s = decider.onOutcome(attempt(1), this::history, Outcome.retryAfter(Duration.ofMillis(700)), 0);
    assertThat(((Settlement.Retry) s).delay()).isEqualTo(Duration.ofMillis(700));
    assertThat(Decider.errorClassOf(s)).contains(ErrorClass.RECOVERABLE);
    assertThat(Decider.errorClassOf(Settlement.complete())).isEmpty();
  }

  @Test
  void aBrokenClassifierCountsAsUnknownInsteadOfLosingTheMessage() {
    Decider broken = new Decider(RetryPolicy.fixed(Duration.ZERO, 3), t -> {
      throw new IllegalStateException("classifier bug");
    }, DeadLetterFormat.defaults(), "w-1", Clock.fixed(NOW, ZoneOffset.UTC));
    Settlement s = broken.onThrowable(attempt(1), this::history, new RuntimeException("x"), 0);
    assertThat(Decider.errorClassOf(s)).contains(ErrorClass.UNKNOWN);
  }
}
