package dev.dlq.postgres;

import dev.dlq.contract.Settle;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.contract.DeadLetterStoreContract;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Source;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The dead-letter store contract against PostgreSQL; replays land in this schema's task table. */
class PostgresDeadLetterStoreIT extends DeadLetterStoreContract {
  private final TestDatabase db = TestDatabase.get();
  private String schema;
  private final Map<String, Source> sources = new HashMap<>();

  @Override
  protected DeadLetterStore newStore() {
    schema = db.migratedSchema("store");
    return PostgresDeadLetterStore.builder(db.dataSource()).schema(schema).build();
  }

  @Override
  protected SourceRef replayTarget() {
    return SourceRef.of("postgres", "replay-" + UUID.randomUUID());
  }

  @Override
  protected Optional<Message> takeReplayed(SourceRef target, Duration wait) throws Exception {
    Source s = sources.computeIfAbsent(target.destination(),
        q -> PostgresQueue.builder(db.dataSource(), q).schema(schema).build().source());
    return Settle.takeOne(s, wait);
  }

  @AfterEach
  void closeSources() {
    sources.values().forEach(Source::close);
  }
}
