package dev.dlq.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.Dlq;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the Flyway and Liquibase recipes must leave behind: a schema that {@link PostgresSchema}
 * sees as current (migrate applies nothing, verify passes) and that the providers open without
 * being asked to migrate, with tasks and dead letters working.
 */
final class SchemaInUse {
  private SchemaInUse() {}

  static void assertCurrentAndUsable(TestDatabase db, String schema) throws Exception {
    assertThat(PostgresSchema.migrate(db.dataSource(), schema)).as("PostgresSchema.migrate afterwards").isEmpty();
    PostgresSchema.verify(db.dataSource(), schema);
    Map<String, Object> settings = Map.of("dataSource", db.dataSource(), "schema", schema);
    try (Source source = Dlq.source("postgres", Map.of("dataSource", db.dataSource(), "schema", schema, "queue", "q"));
        DeadLetterStore store = Dlq.store("postgres", settings)) {
      PostgresQueue.builder(db.dataSource(), "q").schema(schema).build().enqueue("t", new byte[] {1}, Map.of());
      List<? extends Delivery> got = source.poll(5, Duration.ofSeconds(5));
      assertThat(got).hasSize(1);
      Message m = got.get(0).message();
      assertThat(dev.dlq.contract.Settle.dead(got.get(0), DeadLetter.builder(m).build())).isEqualTo(RecordResult.CREATED);
      assertThat(store.get(DeadLetter.idFor(m.source(), m.id()))).isPresent();
    }
  }
}
