package dev.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static Failure failure(int attempt, ErrorClass ec) {
    return failure(attempt, ec, Optional.empty());
  }

  private static Failure failure(int attempt, ErrorClass ec, Optional<Duration> hint) {
    Message m = Message.of("m-1", "t", new byte[0], SourceRef.of("memory", "q"), attempt, Instant.EPOCH);
    return new Failure(m, ec, Optional.of(new RuntimeException("x")), hint);
  }

  private static Duration delay(RetryDecision d) {
    assertThat(d).isInstanceOf(RetryDecision.RetryAfter.class);
    return ((RetryDecision.RetryAfter) d).delay();
  }

  private static DeadLetterReason gaveUp(RetryDecision d) {
    assertThat(d).isInstanceOf(RetryDecision.GiveUp.class);
    return ((RetryDecision.GiveUp) d).reason();
  }

  @Test
  void fixedRetriesWithTheSameDelayUntilMaxAttempts() {
    RetryPolicy p = RetryPolicy.fixed(Duration.ofMillis(250), 3);
    assertThat(delay(p.decide(failure(1, ErrorClass.SYSTEM_ERROR)))).isEqualTo(Duration.ofMillis(250));
    assertThat(delay(p.decide(failure(2, ErrorClass.UNKNOWN)))).isEqualTo(Duration.ofMillis(250));
    assertThat(gaveUp(p.decide(failure(3, ErrorClass.RECOVERABLE)))).isEqualTo(DeadLetterReason.EXHAUSTED);
    assertThat(p.maxAttempts(ErrorClass.RECOVERABLE)).isEqualTo(3);
  }

  @Test
  void exponentialDoublesUpToTheCap() {
    RetryPolicy p = RetryPolicy.builder().maxAttempts(10)
        .exponentialBackoff(Duration.ofMillis(100), Duration.ofMillis(700)).build();
    assertThat(delay(p.decide(failure(1, ErrorClass.RECOVERABLE)))).isEqualTo(Duration.ofMillis(100));
    assertThat(delay(p.decide(failure(2, ErrorClass.RECOVERABLE)))).isEqualTo(Duration.ofMillis(200));
    assertThat(delay(p.decide(failure(3, ErrorClass.RECOVERABLE)))).isEqualTo(Duration.ofMillis(400));
    assertThat(delay(p.decide(failure(4, ErrorClass.RECOVERABLE)))).isEqualTo(Duration.ofMillis(700));
    assertThat(delay(p.decide(failure(9, ErrorClass.RECOVERABLE)))).isEqualTo(Duration.ofMillis(700));
    assertThat(gaveUp(p.decide(failure(10, ErrorClass.RECOVERABLE)))).isEqualTo(DeadLetterReason.EXHAUSTED);
  }

  @Test
  void customFactorIsHonoured() {
    RetryPolicy p = RetryPolicy.builder().maxAttempts(5)
        .exponentialBackoff(Duration.ofMillis(100), Duration.ofSeconds(10), 3.0).build();
    assertThat(delay(p.decide(failure(3, ErrorClass.RECOVERABLE)))).isEqualTo(Duration.ofMillis(900));
  }

  @Test
  void fullJitterStaysWithinZeroAndTheDelayAndVaries() {
    RetryPolicy p = RetryPolicy.builder().maxAttempts(10)
        .exponentialBackoff(Duration.ofMillis(400), Duration.ofMillis(400)).jitter(Jitter.FULL).build();
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2000; i++) {
      long d = delay(p.decide(failure(2, ErrorClass.RECOVERABLE))).toMillis();
      assertThat(d).isBetween(0L, 400L);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(min).isLessThan(100);
    assertThat(max).isGreaterThan(300);
  }

  @Test
  void equalJitterKeepsHalfTheDelayAsAFloor() {
    RetryPolicy p = RetryPolicy.builder().maxAttempts(10)
        .exponentialBackoff(Duration.ofMillis(400), Duration.ofMillis(400)).jitter(Jitter.EQUAL).build();
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2000; i++) {
      long d = delay(p.decide(failure(2, ErrorClass.RECOVERABLE))).toMillis();
      assertThat(d).isBetween(200L, 400L);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(min).isLessThan(250);
    assertThat(max).isGreaterThan(350);
  }

  @Test
  void userErrorsAreNeverRetriedByDefault() {
    RetryPolicy p = RetryPolicy.fixed(Duration.ZERO, 5);
    assertThat(gaveUp(p.decide(failure(1, ErrorClass.USER_ERROR)))).isEqualTo(DeadLetterReason.NON_RETRYABLE);
    assertThat(p.maxAttempts(ErrorClass.USER_ERROR)).isEqualTo(1);
    RetryPolicy lenient = RetryPolicy.builder().maxAttempts(5).fixedBackoff(Duration.ZERO).retryUserErrors(true).build();
    assertThat(delay(lenient.decide(failure(1, ErrorClass.USER_ERROR)))).isZero();
  }

  @Test
  void overridesApplyPerErrorClass() {
    RetryPolicy p = RetryPolicy.builder().maxAttempts(2).fixedBackoff(Duration.ofSeconds(1))
        .override(ErrorClass.RECOVERABLE, RetryPolicy.fixed(Duration.ofSeconds(5), 20)).build();
    assertThat(delay(p.decide(failure(10, ErrorClass.RECOVERABLE)))).isEqualTo(Duration.ofSeconds(5));
    assertThat(gaveUp(p.decide(failure(2, ErrorClass.SYSTEM_ERROR)))).isEqualTo(DeadLetterReason.EXHAUSTED);
    assertThat(p.maxAttempts(ErrorClass.RECOVERABLE)).isEqualTo(20);
    assertThat(p.maxAttempts(ErrorClass.SYSTEM_ERROR)).isEqualTo(2);
  }

  @Test
  void retryAfterHintsAreHonouredUpToTheCap() {
    RetryPolicy p = RetryPolicy.builder().maxAttempts(5).fixedBackoff(Duration.ofMillis(10))
        .retryAfterCap(Duration.ofSeconds(30)).build();
    assertThat(delay(p.decide(failure(1, ErrorClass.RECOVERABLE, Optional.of(Duration.ofSeconds(7))))))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(delay(p.decide(failure(1, ErrorClass.RECOVERABLE, Optional.of(Duration.ofHours(2))))))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(gaveUp(p.decide(failure(5, ErrorClass.RECOVERABLE, Optional.of(Duration.ofSeconds(1))))))
        .as("a hint does not extend the attempt budget").isEqualTo(DeadLetterReason.EXHAUSTED);
  }

  @Test
  void hintsComeFromClassifiedExceptions() {
    class RateLimited extends RuntimeException implements Classified {
      @Override
      public ErrorClass errorClass() {
        return ErrorClass.RECOVERABLE;
      }

      @Override
      public Optional<Duration> retryAfter() {
        return Optional.of(Duration.ofSeconds(3));
      }
    }
    Message m = Message.of("m", "t", new byte[0], SourceRef.of("memory", "q"), 1, Instant.EPOCH);
    Failure f = Failure.of(m, ErrorClass.RECOVERABLE, new RuntimeException("wrapped", new RateLimited()));
    assertThat(f.retryAfter()).contains(Duration.ofSeconds(3));
    assertThat(delay(RetryPolicy.fixed(Duration.ofMillis(1), 3).decide(f))).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void presetsMatchTheDesign() {
    RetryPolicy aggressive = RetryPolicy.aggressive();
    assertThat(aggressive.maxAttempts(ErrorClass.SYSTEM_ERROR)).isEqualTo(5);
    for (int i = 0; i < 200; i++) {
      assertThat(delay(aggressive.decide(failure(1, ErrorClass.RECOVERABLE)))).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
      assertThat(delay(aggressive.decide(failure(4, ErrorClass.RECOVERABLE)))).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
    }
    assertThat(gaveUp(aggressive.decide(failure(5, ErrorClass.RECOVERABLE)))).isEqualTo(DeadLetterReason.EXHAUSTED);
    RetryPolicy conservative = RetryPolicy.conservative();
    assertThat(conservative.maxAttempts(ErrorClass.SYSTEM_ERROR)).isEqualTo(3);
    for (int i = 0; i < 200; i++) {
      assertThat(delay(conservative.decide(failure(1, ErrorClass.RECOVERABLE)))).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
      assertThat(delay(conservative.decide(failure(2, ErrorClass.RECOVERABLE)))).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }
    assertThat(gaveUp(conservative.decide(failure(3, ErrorClass.RECOVERABLE)))).isEqualTo(DeadLetterReason.EXHAUSTED);
  }

  @Test
  void noneGivesUpAtOnce() {
    assertThat(gaveUp(RetryPolicy.none().decide(failure(1, ErrorClass.RECOVERABLE)))).isEqualTo(DeadLetterReason.EXHAUSTED);
  }

  @Test
  void badArgumentsAreRejectedWithClearMessages() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be >= 1 but was 0");
    assertThatThrownBy(() -> RetryPolicy.fixed(Duration.ofSeconds(-1), 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("delay must be >= 0 but was PT-1S");
    assertThatThrownBy(() -> RetryPolicy.builder().exponentialBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cap must be >= initial");
    assertThatThrownBy(() -> RetryPolicy.builder().exponentialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("factor must be >= 1.0 but was 0.5");
  }
}
