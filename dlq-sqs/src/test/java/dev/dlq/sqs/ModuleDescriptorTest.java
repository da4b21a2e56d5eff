package dev.dlq.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module boundary (STYLE rule 2): one exported package, the providers, the optional PostgreSQL dependency. */
class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void exportsOnlyTheUserPackage() throws Exception {
    ModuleDescriptor d = descriptor();
    assertThat(d.name()).isEqualTo("dev.dlq.sqs");
    assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.dlq.sqs");
    assertThat(d.exports()).allMatch(e -> !e.isQualified());
    assertThat(d.packages()).contains("dev.dlq.sqs.internal");
  }

  @Test
  void providesTheSqsBackendAndItsClassifier() throws Exception {
    Map<String, Set<String>> provides = descriptor().provides().stream()
        .collect(Collectors.toMap(ModuleDescriptor.Provides::service, p -> Set.copyOf(p.providers())));
    assertThat(provides).containsOnly(
        Map.entry("dev.dlq.spi.SourceProvider", Set.of("dev.dlq.sqs.internal.SqsProviders$Sources")),
        Map.entry("dev.dlq.spi.DeadLetterSinkProvider", Set.of("dev.dlq.sqs.internal.SqsProviders$Sinks")),
        Map.entry("dev.dlq.ErrorClassifier", Set.of("dev.dlq.sqs.internal.SqsErrorClassifier")));
  }

  @Test
  void needsPostgresOnlyForTheDbAuthorityMode() throws Exception {
    ModuleDescriptor.Requires pg = descriptor().requires().stream().filter(r -> r.name().equals("dev.dlq.postgres"))
        .findFirst().orElseThrow();
    assertThat(pg.modifiers()).contains(ModuleDescriptor.Requires.Modifier.STATIC);
    ModuleDescriptor.Requires api = descriptor().requires().stream().filter(r -> r.name().equals("dev.dlq"))
        .findFirst().orElseThrow();
    assertThat(api.modifiers()).contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
  }

  @Test
  void serviceFilesMatchTheDescriptorForClassPathUse() throws Exception {
    assertThat(Files.readString(Path.of("target/classes/META-INF/services/dev.dlq.spi.SourceProvider")).trim())
        .isEqualTo("dev.dlq.sqs.internal.SqsProviders$Sources");
    assertThat(Files.readString(Path.of("target/classes/META-INF/services/dev.dlq.spi.DeadLetterSinkProvider")).trim())
        .isEqualTo("dev.dlq.sqs.internal.SqsProviders$Sinks");
    assertThat(Files.readString(Path.of("target/classes/META-INF/services/dev.dlq.ErrorClassifier")).trim())
        .isEqualTo("dev.dlq.sqs.internal.SqsErrorClassifier");
  }
}
