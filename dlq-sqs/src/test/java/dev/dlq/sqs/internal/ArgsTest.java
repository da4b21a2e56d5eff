package dev.dlq.sqs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ArgsTest {
  @Test
  void aVisibilityIsWholeSecondsFromOneSecondToTwelveHours() {
    assertThat(Args.visibility(Duration.ofSeconds(30), "lease")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Args.visibility(Duration.ofHours(12), "lease")).isEqualTo(Duration.ofHours(12));
    assertThatThrownBy(() -> Args.visibility(Duration.ofMillis(1500), "lease"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lease must be whole seconds (SQS visibility) but was PT1.5S");
    assertThatThrownBy(() -> Args.visibility(Duration.ofHours(13), "lease"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease must be between");
    assertThatThrownBy(() -> Args.visibility(Duration.ZERO, "lease")).isInstanceOf(IllegalArgumentException.class);
  }
}
