package dev.dlq.nats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module boundary: one exported package, the providers and the classifier (STYLE rule 2). */
class ModuleDescriptorTest {

  @Test
  void exportsOnlyTheUserPackageAndProvidesTheBackend() throws Exception {
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertThat(d.name()).isEqualTo("dev.dlq.nats");
    assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.dlq.nats");
    assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    Map<String, Set<String>> provides = d.provides().stream()
        .collect(Collectors.toMap(ModuleDescriptor.Provides::service, p -> Set.copyOf(p.providers())));
    assertThat(provides).containsOnly(
        Map.entry("dev.dlq.spi.SourceProvider", Set.of("dev.dlq.nats.internal.NatsProviders$Sources")),
        Map.entry("dev.dlq.spi.DeadLetterSinkProvider", Set.of("dev.dlq.nats.internal.NatsProviders$Sinks")),
        Map.entry("dev.dlq.spi.DeadLetterStoreProvider", Set.of("dev.dlq.nats.internal.NatsProviders$Stores")),
        Map.entry("dev.dlq.ErrorClassifier", Set.of("dev.dlq.nats.internal.NatsErrorClassifier")));
    assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name)
        .contains("dev.dlq", "io.nats.jnats", "org.slf4j");
  }

  @Test
  void classPathServiceFilesMatchTheDescriptor() throws Exception {
    assertThat(Files.readString(Path.of("target/classes/META-INF/services/dev.dlq.spi.SourceProvider")).trim())
        .isEqualTo("dev.dlq.nats.internal.NatsProviders$Sources");
    assertThat(Files.readString(Path.of("target/classes/META-INF/services/dev.dlq.spi.DeadLetterStoreProvider")).trim())
        .isEqualTo("dev.dlq.nats.internal.NatsProviders$Stores");
    assertThat(Files.readString(Path.of("target/classes/META-INF/services/dev.dlq.spi.DeadLetterSinkProvider")).trim())
        .isEqualTo("dev.dlq.nats.internal.NatsProviders$Sinks");
    assertThat(Files.readString(Path.of("target/classes/META-INF/services/dev.dlq.ErrorClassifier")).trim())
        .isEqualTo("dev.dlq.nats.internal.NatsErrorClassifier");
  }
}
