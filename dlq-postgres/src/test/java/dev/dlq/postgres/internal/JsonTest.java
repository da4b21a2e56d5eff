package dev.dlq.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.Attempt;
import dev.dlq.ErrorClass;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void headersRoundTripWithEscapes() {
    Map<String, String> h = Map.of("quote\"", "back\\slash", "nl", "a\nb\tc\u0001", "unicode", "żółw ✓", "", "");
    assertThat(Json.parseHeaders(Json.headers(h))).isEqualTo(h);
    assertThat(Json.headers(Map.of())).isEqualTo("{}");
    assertThat(Json.parseHeaders("{}")).isEmpty();
    assertThat(Json.parseHeaders(null)).isEmpty();
  }

  @Test
  void nonStringHeadersAreRejectedWithTheirName() {
    assertThatThrownBy(() -> Json.parseHeaders("{\"n\": 1}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'n'");
  }

  @Test
  void attemptsRoundTrip() {
    Attempt a = new Attempt(2, Instant.parse("2026-01-01T00:00:00.123456Z"), ErrorClass.RECOVERABLE, "x.Y", "m \"q\"\n",
        Duration.ofMillis(15), "w-1");
    Attempt b = new Attempt(3, Instant.parse("2026-01-01T00:00:01Z"), ErrorClass.USER_ERROR, "rejected", "",
        Duration.ZERO, "");
    assertThat(Json.parseAttempts(Json.attempts(List.of(a, b)))).containsExactly(a, b);
    assertThat(Json.parseAttempt(Json.attempt(a))).isEqualTo(a);
    assertThat(Json.parseAttempts(null)).isEmpty();
  }

  @Test
  void nulCharactersBecomeReplacementCharacters() {
    assertThat(Json.parseHeaders(Json.headers(Map.of("k", "a\0b")))).containsEntry("k", "a\ufffdb");
    assertThat(DeadLetterRows.text("x\0y")).isEqualTo("x\ufffdy");
  }
}
