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
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--tasks must be a whole number");
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unexpected argument 'frobnicate'");
  }

  @Test
  void aPortInUseIsOneLineNotAStackTrace() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(run("serve", "--store", "memory", "--port", Integer.toString(taken.getLocalPort()))).isEqualTo(1);
    }
    String e = err.toString(StandardCharsets.UTF_8);
    assertThat(e).startsWith("dlq serve: cannot listen on 127.0.0.1:").contains("try --port");
    assertThat(e.strip().split("\n")).hasSize(1);
  }

  @Test
  void aHugeSinceIsOneLine() throws Exception {
    assertThat(run("dead-letters", "list", "--store", "memory", "--since", "999999999999d")).isEqualTo(2);
    String e = err.toString(StandardCharsets.UTF_8);
    assertThat(e).contains("--since must be at most 36500d");
    assertThat(e.strip().split("\n")).hasSize(1);
  }

  @Test
  void badServeOptionsAreOneLine() throws Exception {
    assertThat(run("serve", "--store", "memory", "--token", "x:root:long-enough-secret")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("role must be viewer, operator or admin");
  }

  @Test
  void theBrowseHintCarriesEveryOptionThatShapesWhereTheDataIs() {
    assertThat(PostgresDemo.browseCommand(java.util.List.of("--tasks", "300", "--url",
        "jdbc:postgresql://127.0.0.1/x?user=postgres&password=a b", "--schema", "s1", "--port", "9090", "--seed", "3",
        "--pg-port", "5999", "--data", "dir")))
        .isEqualTo("./dlq demo --browse --url 'jdbc:postgresql://127.0.0.1/x?user=postgres&password=a b' --schema s1"
            + " --port 9090 --pg-port 5999 --data dir");
  }

  @Test
  void theDemoOnAnUnreachableDatabaseIsOneLine() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    assertThat(run("demo", "--url", "jdbc:postgresql://127.0.0.1:" + port + "/nowhere?connectTimeout=2")).isEqualTo(1);
    String e = err.toString(StandardCharsets.UTF_8);
    assertThat(e).startsWith("dlq demo: cannot use the database at jdbc:postgresql://127.0.0.1:" + port);
    assertThat(e.strip().split("\n")).hasSize(1);
  }
}
