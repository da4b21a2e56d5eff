package dev.dlq.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NewTaskTest {
  @Test
  void payloadIsCopiedInAndOut() {
    byte[] p = {1, 2};
    NewTask t = NewTask.of("t", p);
    p[0] = 9;
    assertThat(t.payload()).containsExactly(1, 2);
    t.payload()[1] = 9;
    assertThat(t.payload()).containsExactly(1, 2);
  }

  @Test
  void withersKeepTheRest() {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    NewTask t = NewTask.of("t", new byte[] {1}, Map.of("a", "b")).withId("x").withRunAt(at).withMaxAttempts(7);
    assertThat(t.id()).contains("x");
    assertThat(t.runAt()).contains(at);
    assertThat(t.maxAttempts().getAsInt()).isEqualTo(7);
    assertThat(t.headers()).isEqualTo(Map.of("a", "b"));
    assertThat(t).isEqualTo(NewTask.of("t", new byte[] {1}, Map.of("a", "b")).withId("x").withRunAt(at).withMaxAttempts(7));
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> NewTask.of(" ", new byte[0])).hasMessageContaining("type must not be blank");
    assertThatThrownBy(() -> NewTask.of("t", null)).hasMessageContaining("payload must not be null");
    assertThatThrownBy(() -> NewTask.of("t", new byte[0]).withId(" ")).hasMessageContaining("id must not be blank");
    assertThatThrownBy(() -> NewTask.of("t", new byte[0]).withMaxAttempts(0))
        .hasMessageContaining("maxAttempts must be >= 1 but was 0");
    assertThatThrownBy(() -> NewTask.of("t", new byte[0], Map.of("k", "v\0"))).hasMessageContaining("NUL");
  }
}
