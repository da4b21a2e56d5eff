package dev.dlq.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module boundary: only dev.dlq.postgres is exported; the three providers are provided. */
class ModuleDescriptorTest {
  @Test
  void exportsOnlyTheUserPackageAndProvidesTheBackend() throws Exception {
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertThat(d.name()).isEqualTo("dev.dlq.postgres");
    assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.dlq.postgres");
    assertThat(d.exports()).allMatch(e -> !e.isQualified());
    Map<String, java.util.List<String>> provides = d.provides().stream()
        .collect(Collectors.toMap(ModuleDescriptor.Provides::service, ModuleDescriptor.Provides::providers));
    assertThat(provides).containsOnly(
        Map.entry("dev.dlq.spi.SourceProvider", java.util.List.of("dev.dlq.postgres.internal.PgProviders$Sources")),
        Map.entry("dev.dlq.spi.DeadLetterSinkProvider", java.util.List.of("dev.dlq.postgres.internal.PgProviders$Sinks")),
        Map.entry("dev.dlq.spi.DeadLetterStoreProvider", java.util.List.of("dev.dlq.postgres.internal.PgProviders$Stores")));
    assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name).contains("dev.dlq", "org.postgresql.jdbc");
  }

  @Test
  void serviceFilesMatchTheDescriptor() throws Exception {
    for (String[] p : new String[][] {
        {"dev.dlq.spi.SourceProvider", "dev.dlq.postgres.internal.PgProviders$Sources"},
        {"dev.dlq.spi.DeadLetterSinkProvider", "dev.dlq.postgres.internal.PgProviders$Sinks"},
        {"dev.dlq.spi.DeadLetterStoreProvider", "dev.dlq.postgres.internal.PgProviders$Stores"}}) {
      String text = Files.readString(Path.of("target/classes/META-INF/services/" + p[0])).trim();
      assertThat(text).isEqualTo(p[1]);
    }
  }
}
