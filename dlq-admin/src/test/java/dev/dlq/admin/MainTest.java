package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void theMemoryDemoSettlesEveryMessageAndSaysHow() throws Exception {
    assertThat(run("demo", "--memory", "--messages", "30")).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    for (int i = 1; i <= 30; i++) {
      String id = String.format("msg-%03d", i);
      assertThat(text).as(id).containsPattern(id + " .*(succeeded|DEAD-LETTERED)");
    }
    assertThat(text).contains("summary:").contains("EXHAUSTED").contains("NON_RETRYABLE");
  }

  @Test
  void badInputIsAClearErrorWithExitCodeTwo() throws Exception {
    assertThat(run("demo", "--messages", "lots")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--messages must be a whole number");
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'");
  }
}
