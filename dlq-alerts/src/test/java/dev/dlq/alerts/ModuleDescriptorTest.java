package dev.dlq.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module boundary: only dev.dlq.alerts is exported; the internal package stays inside. */
class ModuleDescriptorTest {
  @Test
  void exportsOnlyTheUserPackage() throws Exception {
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertThat(d.name()).isEqualTo("dev.dlq.alerts");
    assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.dlq.alerts");
    assertThat(d.exports()).allMatch(e -> !e.isQualified());
    assertThat(d.provides()).isEmpty();
    assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name)
        .contains("dev.dlq", "dev.dlq.postgres", "java.net.http", "jakarta.json");
  }
}
