package dev.dlq.memory;

import dev.dlq.InMemory;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.contract.ReplayRunnerContract;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.ReplayStore;
import dev.dlq.spi.Source;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

class MemoryReplayRunnerContractTest extends ReplayRunnerContract {
  private final InMemory mem = InMemory.create();

  @Override
  protected ReplayStore newStore() {
    return (ReplayStore) mem.store();
  }

  @Override
  protected SourceRef replayTarget() {
    return SourceRef.of("memory", "q-" + UUID.randomUUID());
  }

  @Override
  protected Optional<Message> takeReplayed(SourceRef target, Duration wait) throws Exception {
    Source s = mem.source(target.destination());
    List<? extends Delivery> got = s.poll(1, wait);
    if (got.isEmpty()) {
      return Optional.empty();
    }
    dev.dlq.contract.Settle.complete(got.get(0));
    return Optional.of(got.get(0).message());
  }
}
