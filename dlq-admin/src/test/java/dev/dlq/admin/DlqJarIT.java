package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The jars {@code package} built (failsafe runs after it): dlq.jar is the operator's, under 40 MB,
 * with every store it advertises and no embedded PostgreSQL; dlq-demo.jar has the embedded one.
 */
class DlqJarIT {
  static final long MAX_BYTES = 40L * 1024 * 1024;
  private static final Path DLQ = Path.of("target", "dlq.jar");
  private static final Path DEMO = Path.of("target", "dlq-demo.jar");

  @Test
  void theOperatorJarStaysUnderFortyMegabytesWithoutTheEmbeddedPostgres() throws IOException {
    assertThat(DLQ).exists();
    assertThat(Files.size(DLQ)).as("dlq.jar is %d bytes", Files.size(DLQ)).isLessThan(MAX_BYTES);
    try (JarFile jar = new JarFile(DLQ.toFile())) {
      assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("io/zonky/") || n.contains("postgres-linux")))
          .as("the embedded PostgreSQL is only in dlq-demo.jar").isEmpty();
      String stores = new String(jar.getInputStream(jar.getEntry("META-INF/services/dev.dlq.spi.DeadLetterStoreProvider"))
          .readAllBytes(), StandardCharsets.UTF_8);
      assertThat(stores).contains("PgProviders$Stores").contains("NatsProviders$Stores").contains("MemoryProviders$Stores");
      assertThat(jar.getEntry("dev/dlq/sqs/SqsRedrive.class")).isNotNull();
      assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Version")).isNotBlank();
    }
    try (JarFile demo = new JarFile(DEMO.toFile())) {
      assertThat(demo.getEntry("io/zonky/test/db/postgres/embedded/EmbeddedPostgres.class")).isNotNull();
    }
  }

  @Test
  void theOperatorJarRuns() throws Exception {
    // each start of a JVM costs seconds on a busy machine: three runs (CI also runs dlq.jar demo --memory)
    assertThat(java(DLQ, "--version")).startsWith("0:dlq ");
    assertThat(java(DLQ, "dead-letters", "list", "--store", "nats", "--set", "nope=1"))
        .startsWith("2:").contains("unknown setting 'nope' for store 'nats'");
    assertThat(java(DLQ, "demo")).startsWith("2:").contains("this jar has no embedded PostgreSQL: run dlq-demo.jar");
  }

  /** "exit code:stdout+stderr" of {@code java -jar jar args}. */
  private static String java(Path jar, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text;
    try (var in = p.getInputStream()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() + ":" + text.lines().collect(Collectors.joining("\n"));
  }
}
