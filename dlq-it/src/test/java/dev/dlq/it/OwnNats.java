package dev.dlq.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A nats-server with JetStream that one test owns and may restart: the binary from the PATH (or
 * /usr/sbin), on its own port with its own store directory under target/, kept across restarts.
 * Never the shared server on 4222. Without a binary the test is skipped, or fails under CI=true.
 * Not thread-safe: the test thread drives it.
 */
final class OwnNats implements AutoCloseable {
  private final File binary;
  private final Path dir;
  private final int port;
  private Process process;
  private int starts;

  private OwnNats(File binary, Path dir, int port) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
  }

  static OwnNats start(String name) throws Exception {
    File bin = binary();
    if (bin == null) {
      String why = "no nats-server on the PATH or in /usr/sbin";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(why + " (CI=true: integration tests must not be skipped)");
      }
      Assumptions.assumeTrue(false, why);
    }
    Path dir = Path.of("target", name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime()).toAbsolutePath();
    Files.createDirectories(dir.resolve("store"));
    OwnNats nats = new OwnNats(bin, dir, OwnPostgres.freePort());
    nats.startAgain();
    return nats;
  }

  String url() {
    return "nats://127.0.0.1:" + port;
  }

  /** Stops the server with SIGTERM (a clean shutdown that keeps the store) and waits for it to exit. */
  void stop() throws InterruptedException {
    Process p = process;
    process = null;
    if (p != null) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Starts the server on the same port and store; returns once JetStream answers. */
  void startAgain() throws IOException, InterruptedException {
    if (process != null) {
      throw new IllegalStateException("already running on port " + port);
    }
    starts++;
    process = new ProcessBuilder(binary.getPath(), "-a", "127.0.0.1", "-p", Integer.toString(port), "-js", "-sd",
        dir.resolve("store").toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("server-" + starts + ".log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!answers()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("nats-server did not come up on port " + port + "; see " + dir);
      }
      Thread.sleep(50);
    }
  }

  /** Whether a JetStream server answers (its INFO line says so). */
  private boolean answers() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.setSoTimeout(2000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String info = in.readLine();
      return info != null && info.startsWith("INFO") && info.contains("\"jetstream\":true");
    } catch (IOException e) {
      return false;
    }
  }

  private static File binary() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        File f = new File(d, "nats-server");
        if (f.canExecute()) {
          return f;
        }
      }
    }
    File sbin = new File("/usr/sbin/nats-server");
    return sbin.canExecute() ? sbin : null;
  }

  /** Stops the server and deletes its store; its logs stay in target/ for a look after a failure. */
  @Override
  public void close() throws Exception {
    stop();
    try (Stream<Path> all = Files.walk(dir.resolve("store"))) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
