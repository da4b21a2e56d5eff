package dev.dlq.bench.drain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * graphile-worker {@value #VERSION} for the drain: installed with {@code npm} into
 * {@code dlq-bench/target/graphile-worker/} (next to the jar; {@code --graphile-dir} elsewhere) the
 * first time, never committed, and driven through one long-lived Node process running
 * {@code graphile-drain.js} (a resource of this jar, copied next to its {@code node_modules}), so
 * that Node's JIT warms up over the warm-up round as the bench JVM does. {@link #unavailable()}
 * says why it cannot run (no {@code node} on the PATH, or the install failed).
 */
public final class Graphile implements AutoCloseable {
  /** The graphile-worker release the drain installs. */
  public static final String VERSION = "0.17.3";
  /** Its schema in the bench database, dropped and migrated again every round. */
  public static final String SCHEMA = "graphile_bench";
  private static final String SCRIPT = "graphile-drain.js";

  private final Path dir;
  private String nodeVersion;
  private Process process;
  private BufferedReader out;
  private Writer in;

  private Graphile(Path dir) {
    this.dir = dir;
  }

  /** In {@code explicitDir}, else {@code graphile-worker/} next to the bench jar (its target directory). */
  public static Graphile in(String explicitDir) {
    return new Graphile(explicitDir != null ? Path.of(explicitDir) : defaultDir());
  }

  private static Path defaultDir() {
    try {
      Path code = Path.of(Graphile.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // benchmarks.jar in target/, or target/classes when run from an IDE or a test
      return code.getParent().resolve("graphile-worker");
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("dlq-bench", "target", "graphile-worker");
    }
  }

  /** Why graphile-worker cannot run here, or null when it can (installs it when missing). */
  public String unavailable() {
    try {
      nodeVersion = run(List.of("node", "--version"), Duration.ofSeconds(20)).trim();
    } catch (IOException e) {
      return "no node on the PATH (" + e.getMessage() + ")";
    }
    if (!Files.isDirectory(dir.resolve("node_modules/graphile-worker"))) {
      try {
        Files.createDirectories(dir);
        run(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", dir.toString(),
            "graphile-worker@" + VERSION), Duration.ofMinutes(5));
      } catch (IOException e) {
        return "could not install graphile-worker@" + VERSION + " with npm into " + dir + ": " + e.getMessage();
      }
    }
    try (InputStream script = Graphile.class.getResourceAsStream("/dev/dlq/bench/" + SCRIPT)) {
      if (script == null) {
        return SCRIPT + " is missing from the bench jar";
      }
      Files.copy(script, dir.resolve(SCRIPT), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      return "could not write " + dir.resolve(SCRIPT) + ": " + e.getMessage();
    }
    return null;
  }

  /** Runs {@code command}, returns its output; IOException naming the last line when it fails. */
  private static String run(List<String> command, Duration timeout) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + " took longer than " + timeout);
      }
      if (p.exitValue() != 0) {
        String[] lines = output.trim().split("\n");
        throw new IOException(command.get(0) + " exited with " + p.exitValue() + ": " + lines[lines.length - 1]);
      }
      return output;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
  }

  /** "graphile-worker 0.17.3 on Node v20.1.0 (dlq-bench/target/graphile-worker)". */
  public String describe() {
    return "graphile-worker " + VERSION + " on Node " + nodeVersion + " (" + dir + ")";
  }

  /** Sends one command to the Node process (started on first use) and returns its one-line answer. */
  synchronized String call(String command, String connectionString, int concurrency, Duration timeout)
      throws IOException {
    if (process == null) {
      ProcessBuilder pb = new ProcessBuilder(List.of("node", dir.resolve(SCRIPT).toString(), SCHEMA,
          Integer.toString(concurrency))).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
      pb.environment().put("DLQ_BENCH_GRAPHILE_URL", connectionString);
      process = pb.start();
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }
    in.write(command + "\n");
    in.flush();
    Process p = process;
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(timeout.toMillis());
        p.destroyForcibly(); // unblocks the read below
      } catch (InterruptedException e) {
        // answered in time
      }
    }, "graphile-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      String line = out.readLine();
      if (line == null) {
        process = null;
        throw new IOException("graphile-worker's node process ended (or took longer than " + timeout + ") on '"
            + command + "'");
      }
      if (line.startsWith("error ")) {
        throw new IOException("graphile-worker: " + line.substring(6));
      }
      return line;
    } finally {
      watchdog.interrupt();
    }
  }

  /** CPU time the Node process has used so far, in nanoseconds; 0 before it starts. */
  synchronized long cpuNanos() {
    return process == null ? 0 : process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      try {
        in.write("quit\n");
        in.flush();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (IOException | InterruptedException e) {
        process.destroyForcibly();
      }
      process = null;
    }
  }

  /** The libpq URL of a JDBC PostgreSQL URL: {@code jdbc:postgresql://h:p/db?user=u&password=x} to {@code postgres://u:x@h:p/db}. */
  static String libpqUrl(String jdbcUrl) {
    String rest = jdbcUrl.substring("jdbc:postgresql://".length());
    int q = rest.indexOf('?');
    String hostAndDb = q < 0 ? rest : rest.substring(0, q);
    String user = null;
    String password = null;
    List<String> other = new ArrayList<>();
    if (q >= 0) {
      for (String kv : rest.substring(q + 1).split("&")) {
        if (kv.startsWith("user=")) {
          user = kv.substring(5);
        } else if (kv.startsWith("password=")) {
          password = kv.substring(9);
        } else if (!kv.isEmpty()) {
          other.add(kv);
        }
      }
    }
    String auth = user == null ? "" : user + (password == null ? "" : ":" + password) + "@";
    return "postgres://" + auth + hostAndDb + (other.isEmpty() ? "" : "?" + String.join("&", other));
  }
}
