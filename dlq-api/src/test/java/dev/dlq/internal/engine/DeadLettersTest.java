package dev.dlq.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadLettersTest {
  @Test
  void normalisingBlanksNumbersIdsAndHashesButKeepsWords() {
    assertThat(DeadLetters.normalise("order 1234 failed after 3 tries")).isEqualTo("order # failed after # tries");
    assertThat(DeadLetters.normalise("user 3f2a9c1e-1b2c-4d3e-8f9a-0b1c2d3e4f5a not found"))
        .isEqualTo("user <hex>-#b#c-#d#e-#f#a-<hex> not found");
    assertThat(DeadLetters.normalise("bad checksum deadbeef12 in accepted facade"))
        .isEqualTo("bad checksum <hex> in accepted facade");
    assertThat(DeadLetters.normalise(null)).isEmpty();
    assertThat(DeadLetters.normalise("x".repeat(2000))).hasSize(512);
  }

  private static RuntimeException deep(int depth) {
    return depth == 0 ? new RuntimeException("deep") : deep(depth - 1);
  }

  @Test
  void stackTracesKeepCausesRenderFramesAndStopAtAFrameBudget() {
    RuntimeException e = new IllegalStateException("outer", deep(150));
    String trace = DeadLetters.stackTrace(e, 1_000_000);
    assertThat(trace).startsWith("java.lang.IllegalStateException: outer\n\tat dev.dlq.internal.engine.DeadLettersTest.")
        .contains("Caused by: java.lang.RuntimeException: deep")
        .containsPattern("\\tat dev\\.dlq\\.internal\\.engine\\.DeadLettersTest\\.deep\\(DeadLettersTest\\.java:\\d+\\)")
        .containsPattern("\\t\\.\\.\\. \\d+ more");
    assertThat(DeadLetters.stackTrace(e, 300)).hasSize(300).endsWith("…[truncated]");
  }
}
