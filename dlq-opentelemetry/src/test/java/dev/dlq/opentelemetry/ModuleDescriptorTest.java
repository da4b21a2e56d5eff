package dev.dlq.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module boundary: one exported package, the OpenTelemetry API and dlq-api only (STYLE rule 2). */
class ModuleDescriptorTest {

  @Test
  void exportsOnlyTheUserPackage() throws Exception {
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertThat(d.name()).isEqualTo("dev.dlq.opentelemetry");
    assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.dlq.opentelemetry");
    assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(d.provides()).isEmpty();
    assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name)
        .containsExactlyInAnyOrder("java.base", "dev.dlq", "io.opentelemetry.api", "io.opentelemetry.context");
  }
}
