package dev.dlq.sqs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.SourceRef;
import dev.dlq.spi.DeadLetterSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The memory of verdicts whose dead letter could not be recorded: growing waits, counts, bound. */
class PendingDeadLettersTest {
  private final DeadLetterSink sink = dl -> RecordResult.CREATED;

  private static DeadLetter dead(String id) {
    Message m = Message.of(id, "order", "x".getBytes(StandardCharsets.UTF_8), SourceRef.of("sqs", "q"), 1, Instant.EPOCH);
    return DeadLetter.builder(m).errorClass(ErrorClass.USER_ERROR).errorMessage("bad").attempts(1).build();
  }

  @Test
  void waitsDoubleFromOneSecondUpToFiveMinutes() {
    assertThat(PendingDeadLetters.waitAfter(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(PendingDeadLetters.waitAfter(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(PendingDeadLetters.waitAfter(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(PendingDeadLetters.waitAfter(9)).isEqualTo(Duration.ofSeconds(256));
    assertThat(PendingDeadLetters.waitAfter(10)).isEqualTo(Duration.ofMinutes(5));
    assertThat(PendingDeadLetters.waitAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void eachFailureOfTheSameMessageWaitsLonger() {
    PendingDeadLetters pending = new PendingDeadLetters(10);
    assertThat(pending.failed(dead("a"), sink)).isEqualTo(Duration.ofSeconds(1));
    assertThat(pending.failed(dead("a"), sink)).isEqualTo(Duration.ofSeconds(2));
    assertThat(pending.failed(dead("b"), sink)).isEqualTo(Duration.ofSeconds(1));
    assertThat(pending.failures("a")).isEqualTo(2);
    assertThat(pending.failures("c")).isZero();
  }

  @Test
  void theLeastRecentlyFailedVerdictIsDroppedPastTheBound() {
    PendingDeadLetters pending = new PendingDeadLetters(2);
    pending.failed(dead("a"), sink);
    pending.failed(dead("b"), sink);
    pending.failed(dead("a"), sink);
    pending.failed(dead("c"), sink);
    assertThat(pending.failures("b")).isZero();
    assertThat(pending.failures("a")).isEqualTo(2);
    assertThat(pending.failures("c")).isEqualTo(1);
  }
}
