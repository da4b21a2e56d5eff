package dev.dlq.postgres;

import dev.dlq.contract.SourceContract;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Source;
import java.util.Map;

/** The source contract against PostgreSQL, dead-lettering into the same schema's store. */
class PostgresSourceIT extends SourceContract {
  private final TestDatabase db = TestDatabase.get();
  private PostgresQueue queue;

  @Override
  protected Source newSource() {
    String schema = db.migratedSchema("source");
    queue = PostgresQueue.builder(db.dataSource(), "contract").schema(schema).build();
    return queue.source();
  }

  @Override
  protected String enqueue(String type, byte[] payload, Map<String, String> headers) {
    return queue.enqueue(type, payload, headers);
  }

  @Override
  protected DeadLetterSink sink() {
    return queue.deadLetterStore();
  }
}
