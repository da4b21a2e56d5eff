package dev.dlq.postgres;

import dev.dlq.contract.Settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.DeadLetter;
import dev.dlq.Dlq;
import dev.dlq.DlqException;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "postgres" providers found through ServiceLoader. */
class ProviderIT {
  private final TestDatabase db = TestDatabase.get();

  @Test
  void providersAreFoundByName() {
    assertThat(Dlq.sourceProviders()).contains("postgres");
    assertThat(Dlq.sinkProviders()).contains("postgres");
    assertThat(Dlq.storeProviders()).contains("postgres");
  }

  @Test
  void aSourceAndAStoreFromSettingsWorkTogether() throws Exception {
    String schema = db.migratedSchema("provider");
    Map<String, Object> settings = Map.of("dataSource", db.dataSource(), "schema", schema, "queue", "jobs",
        "lease", "20s");
    try (Source source = Dlq.source("postgres", settings);
        DeadLetterStore store = Dlq.store("postgres", Map.of("url", db.jdbcUrl(), "user", db.user(), "schema", schema))) {
      PostgresQueue q = PostgresQueue.builder(db.dataSource(), "jobs").schema(schema).build();
      q.enqueue("t", new byte[] {7}, Map.of());
      List<? extends Delivery> got = source.poll(5, Duration.ofSeconds(5));
      assertThat(got).hasSize(1);
      assertThat(source.lease()).isEqualTo(Duration.ofSeconds(20));
      Message m = got.get(0).message();
      assertThat(Settle.dead(got.get(0), DeadLetter.builder(m).build())).isEqualTo(RecordResult.CREATED);
      assertThat(store.get(DeadLetter.idFor(m.source(), m.id()))).isPresent();
    }
  }

  @Test
  void providersCheckTheSchemaAndMigrateOnlyWhenAsked() throws Exception {
    String schema = db.freshSchema("provider_unmigrated");
    Map<String, Object> settings = Map.of("dataSource", db.dataSource(), "schema", schema);
    assertThatThrownBy(() -> Dlq.store("postgres", settings)).isInstanceOf(SchemaMissingException.class)
        .hasMessageContaining("dlq's tables are missing from schema " + schema)
        .hasMessageContaining("dlq migrate --url").hasMessageContaining("--schema " + schema);
    assertThatThrownBy(() -> Dlq.sink("postgres", settings)).isInstanceOf(SchemaMissingException.class);
    assertThatThrownBy(() -> Dlq.source("postgres", Map.of("dataSource", db.dataSource(), "schema", schema, "queue", "q")))
        .isInstanceOf(SchemaMissingException.class);
    try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
            + schema + "'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("no DDL ran").isZero();
    }
    try (DeadLetterStore store = Dlq.store("postgres", Map.of("dataSource", db.dataSource(), "schema", schema,
        "migrate", "true"))) {
      assertThat(store.get("nothing")).isEmpty();
    }
    PostgresSchema.verify(db.dataSource(), schema);
  }

  @Test
  void missingOrMalformedSettingsAreNamed() {
    assertThatThrownBy(() -> Dlq.store("postgres", Map.of())).isInstanceOf(DlqException.class)
        .hasMessageContaining("'url'").hasMessageContaining("'dataSource'");
    assertThatThrownBy(() -> Dlq.store("postgres", Map.of("url", "jdbc:mysql://x"))).isInstanceOf(DlqException.class)
        .hasMessageContaining("jdbc:postgresql:");
    assertThatThrownBy(() -> Dlq.source("postgres", Map.of("dataSource", db.dataSource())))
        .isInstanceOf(DlqException.class).hasMessageContaining("'queue'");
    assertThatThrownBy(() -> Dlq.source("postgres", Map.of("dataSource", db.dataSource(), "queue", "q", "lease", "soon")))
        .isInstanceOf(DlqException.class).hasMessageContaining("'lease'");
    assertThatThrownBy(() -> Dlq.store("postgres", Map.of("dataSource", db.dataSource(), "schema", "bad-name")))
        .isInstanceOf(DlqException.class).hasMessageContaining("'schema'");
    assertThatThrownBy(() -> Dlq.store("postgres", Map.of("dataSource", "not a data source")))
        .isInstanceOf(DlqException.class).hasMessageContaining("dataSource");
  }
}
