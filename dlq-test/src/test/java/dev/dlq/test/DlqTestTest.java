package dev.dlq.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.Attempt;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.InvalidMessageException;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DlqTestTest {

  @Test
  void aProcessorThatAlwaysFailsIsRetriedThenDeadLetteredOnTheTestClock() {
    long t0 = System.nanoTime();
    RunResult r = DlqTest.run(m -> {
      throw new IOException("payment api down");
    }).withPolicy(RetryPolicy.fixed(Duration.ofHours(1), 3)).message("order.created", "{\"id\":42}");

    assertThat(r.settled()).isEqualTo(RunResult.Settled.DEAD_LETTERED);
    assertThat(r.processorCalls()).isEqualTo(3);
    assertThat(r.deliveries()).extracting(Message::attempt).containsExactly(1, 2, 3);
    assertThat(r.delays()).containsExactly(Duration.ofHours(1), Duration.ofHours(1));
    assertThat(r.failedAttempts()).extracting(Attempt::number).containsExactly(1, 2, 3);
    assertThat(r.failedAttempts()).extracting(Attempt::errorType).containsOnly("java.io.IOException");
    assertThat(r.failedAttempts().get(2).at()).isEqualTo(Instant.parse("2030-01-01T02:00:00Z"));
    assertThat(r.elapsed()).isEqualTo(Duration.ofHours(2));
    assertThat(r.requireDeadLetter().reason()).isEqualTo(DeadLetterReason.EXHAUSTED);
    assertThat(r.requireDeadLetter().errorMessage()).isEqualTo("payment api down");
    assertThat(r.requireDeadLetter().message().payloadAsString()).isEqualTo("{\"id\":42}");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5)); // two hours of backoff
  }

  @Test
  void aProcessorThatRecoversSucceedsWithTheDelaysOfItsPolicy() {
    AtomicInteger calls = new AtomicInteger();
    RunResult r = DlqTest.run(m -> {
      if (calls.incrementAndGet() < 3) {
        throw new IOException("timeout");
      }
      return Outcome.success();
    }).withPolicy(RetryPolicy.builder().maxAttempts(5).exponentialBackoff(Duration.ofSeconds(1), Duration.ofHours(1))
        .build()).startingAt(Instant.parse("2026-05-01T10:00:00Z")).message("order.created", "{}");

    assertThat(r.settled()).isEqualTo(RunResult.Settled.SUCCEEDED);
    assertThat(r.deadLetter()).isEmpty();
    assertThat(r.delays()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(r.failedAttempts()).extracting(Attempt::errorClass).containsOnly(ErrorClass.RECOVERABLE);
    assertThat(r.elapsed()).isEqualTo(Duration.ofSeconds(3));
    assertThat(r.deliveries().get(2).attempt()).isEqualTo(3);
    assertThatThrownBy(r::requireDeadLetter).isInstanceOf(AssertionError.class).hasMessageContaining("SUCCEEDED");
  }

  @Test
  void invalidInputIsDeadLetteredAtOnceWithoutRetries() {
    RunResult r = DlqTest.run(m -> {
      throw new InvalidMessageException("no order id");
    }).withPolicy(RetryPolicy.fixed(Duration.ofMinutes(1), 5)).message("order.created", "{}");

    assertThat(r.settled()).isEqualTo(RunResult.Settled.DEAD_LETTERED);
    assertThat(r.processorCalls()).isEqualTo(1);
    assertThat(r.delays()).isEmpty();
    assertThat(r.requireDeadLetter().reason()).isEqualTo(DeadLetterReason.INVALID);
    assertThat(r.failedAttempts()).hasSize(1);
    assertThat(r.elapsed()).isZero();
  }

  @Test
  void aRejectingOutcomeIsDeadLetteredAsRejected() {
    RunResult r = DlqTest.run(m -> Outcome.deadLetter("duplicate order")).message("order.created", "{}");

    assertThat(r.requireDeadLetter().reason()).isEqualTo(DeadLetterReason.REJECTED);
    assertThat(r.requireDeadLetter().errorMessage()).isEqualTo("duplicate order");
  }

  @Test
  void aHangingProcessorFailsTheRunAtItsTimeout() {
    CountDownLatch never = new CountDownLatch(1);
    DlqTest run = DlqTest.run(m -> {
      never.await();
      return Outcome.success();
    }).timeout(Duration.ofMillis(300));

    assertThatThrownBy(() -> run.message("order.created", "{}")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("not settled within PT0.3S").hasMessageContaining("1 processor call");
  }

  @Test
  void eachRunStartsAfresh() {
    DlqTest run = DlqTest.run(m -> Outcome.success());
    List<RunResult> two = List.of(run.message("a", "1"), run.message("b", "2"));

    assertThat(two).extracting(RunResult::processorCalls).containsExactly(1, 1);
    assertThat(two.get(1).deliveries().get(0).type()).isEqualTo("b");
  }
}
