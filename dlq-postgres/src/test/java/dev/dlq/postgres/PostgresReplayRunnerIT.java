package dev.dlq.postgres;

import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.contract.ReplayRunnerContract;
import dev.dlq.contract.Settle;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.ReplayStore;
import dev.dlq.spi.Source;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The replay runner contract on PostgreSQL: jobs in replay_jobs (V5), replays land in this schema's task table. */
class PostgresReplayRunnerIT extends ReplayRunnerContract {
  private final TestDatabase db = TestDatabase.get();
  private String schema;
  private final Map<String, Source> sources = new HashMap<>();

  @Override
  protected ReplayStore newStore() {
    schema = db.migratedSchema("replay");
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
