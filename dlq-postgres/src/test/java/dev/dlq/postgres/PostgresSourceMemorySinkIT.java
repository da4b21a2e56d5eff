package dev.dlq.postgres;

import dev.dlq.contract.SourceContract;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Source;
import java.util.Map;

/** The source contract against PostgreSQL with a sink of another backend (not atomic with the task). */
class PostgresSourceMemorySinkIT extends SourceContract {
  private final TestDatabase db = TestDatabase.get();
  private PostgresQueue queue;

  @Override
  protected Source newSource() {
    String schema = db.migratedSchema("source_mem");
    queue = PostgresQueue.builder(db.dataSource(), "contract").schema(schema).build();
    return queue.source();
  }

  @Override
  protected String enqueue(String type, byte[] payload, Map<String, String> headers) {
    return queue.enqueue(type, payload, headers);
  }
}
