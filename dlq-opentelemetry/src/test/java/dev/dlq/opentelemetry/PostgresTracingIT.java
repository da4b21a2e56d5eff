package dev.dlq.opentelemetry;

import dev.dlq.DeadLetter;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Source;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The scenario on PostgreSQL: its own schema, the queue's own dead-letter table, the store's replay. */
class PostgresTracingIT extends TracingScenario {
  private final TestDatabase db = TestDatabase.get();
  private String schema;
  private PostgresQueue queue;
  private String id;

  @BeforeEach
  void schema() {
    schema = db.migratedSchema("otel");
    queue = PostgresQueue.builder(db.dataSource(), "orders").schema(schema).build();
  }

  @AfterEach
  void drop() {
    db.dropSchema(schema);
  }

  @Override
  String send(String type, byte[] payload, Map<String, String> headers) {
    id = queue.enqueue(type, payload, headers);
    return id;
  }

  @Override
  Source source() {
    return queue.source();
  }

  @Override
  DeadLetter deadLetter() {
    return store().get(DeadLetter.idFor(queue.sourceRef(), id)).orElseThrow().deadLetter();
  }

  @Override
  DeadLetterStore store() {
    PostgresDeadLetterStore store = queue.deadLetterStore();
    return store;
  }

  @Override
  String system() {
    return "postgresql";
  }
}
