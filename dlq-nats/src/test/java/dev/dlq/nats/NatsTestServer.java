package dev.dlq.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The NATS server integration tests use: {@code DLQ_IT_NATS_URL}, else 127.0.0.1:4222 when a
 * JetStream server answers there, else a {@code nats-server} from the PATH (or /usr/sbin) started on a
 * free port with a temporary store, stopped when the JVM exits. When none can be had the tests are
 * skipped, except under {@code CI=true}, where they fail.
 */
public final class NatsTestServer {
  private static volatile String url;
  private static volatile String unavailable;

  private NatsTestServer() {}

  /** The server's URL; skips (or, under CI, fails) the calling test when there is none. */
  public static synchronized String url() {
    if (url == null && unavailable == null) {
      resolve();
    }
    if (url == null) {
      String why = "no NATS server with JetStream: " + unavailable;
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(why + " (CI=true: integration tests must not be skipped)");
      }
      Assumptions.assumeTrue(false, why);
    }
    return url;
  }

  /** A new connection to {@link #url()}. */
  public static Connection connect() throws IOException, InterruptedException {
    return Nats.connect(new Options.Builder().server(url()).connectionName("dlq-it")
        .errorListener(new dev.dlq.nats.internal.Nats.QuietListener()).build());
  }

  /** A name no other test run uses: letters and digits. */
  public static String unique(String base) {
    return base + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase(Locale.ROOT);
  }

  /** Deletes streams (and KV buckets, by their stream) if they exist. */
  public static void deleteStreams(Connection conn, String... streams) {
    try {
      JetStreamManagement jsm = conn.jetStreamManagement();
      for (String s : streams) {
        try {
          jsm.deleteStream(s);
        } catch (Exception ignored) {
          // not there
        }
      }
    } catch (IOException ignored) {
      // connection gone
    }
  }

  private static void resolve() {
    String env = System.getenv("DLQ_IT_NATS_URL");
    if (env != null && !env.isBlank()) {
      url = env.trim();
      return;
    }
    if (answers("127.0.0.1", 4222)) {
      url = "nats://127.0.0.1:4222";
      return;
    }
    File bin = binary();
    if (bin == null) {
      unavailable = "DLQ_IT_NATS_URL is not set, nothing with JetStream answers on 127.0.0.1:4222, and no nats-server on the PATH or in /usr/sbin";
      return;
    }
    try {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path dir = Files.createTempDirectory("dlq-nats-it");
      Process p = new ProcessBuilder(bin.getPath(), "-a", "127.0.0.1", "-p", Integer.toString(port), "-js", "-sd",
          dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        p.destroy();
        try {
          p.waitFor();
          try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
          }
        } catch (Exception ignored) {
          // best effort
        }
      }));
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (System.nanoTime() < deadline) {
        if (answers("127.0.0.1", port)) {
          url = "nats://127.0.0.1:" + port;
          return;
        }
        Thread.sleep(100);
      }
      p.destroy();
      unavailable = "started " + bin + " on port " + port + " but it did not answer within 15s";
    } catch (IOException e) {
      unavailable = "could not start " + bin + ": " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      unavailable = "interrupted while starting " + bin;
    }
  }

  private static File binary() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        File f = new File(dir, "nats-server");
        if (f.canExecute()) {
          return f;
        }
      }
    }
    File sbin = new File("/usr/sbin/nats-server");
    return sbin.canExecute() ? sbin : null;
  }

  /** Whether a NATS server with JetStream enabled answers on host:port (its INFO line says so). */
  private static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      s.setSoTimeout(2000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String info = in.readLine();
      return info != null && info.startsWith("INFO") && info.contains("\"jetstream\":true");
    } catch (IOException e) {
      return false;
    }
  }
}
