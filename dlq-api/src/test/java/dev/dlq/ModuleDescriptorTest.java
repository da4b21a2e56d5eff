package dev.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
  @Test
  void exportsExactlyTheApiAndTheSpi() throws Exception {
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertThat(d.name()).isEqualTo("dev.dlq");
    assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("dev.dlq", "dev.dlq.spi");
    assertThat(d.opens()).isEmpty();
    assertThat(d.uses()).contains("dev.dlq.spi.SourceProvider", "dev.dlq.spi.DeadLetterSinkProvider",
        "dev.dlq.spi.DeadLetterStoreProvider", "dev.dlq.ErrorClassifier");
    assertThat(d.provides().stream().map(ModuleDescriptor.Provides::service).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("dev.dlq.spi.SourceProvider", "dev.dlq.spi.DeadLetterSinkProvider",
            "dev.dlq.spi.DeadLetterStoreProvider");
  }
}
