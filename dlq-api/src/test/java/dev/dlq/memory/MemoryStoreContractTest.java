package dev.dlq.memory;

import dev.dlq.InMemory;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.contract.DeadLetterStoreContract;
import dev.dlq.spi.DeadLetterStore;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

class MemoryStoreContractTest extends DeadLetterStoreContract {
  private final InMemory mem = InMemory.create();

  @Override
  protected DeadLetterStore newStore() {
    return mem.store();
  }

  @Override
  protected SourceRef replayTarget() {
    return SourceRef.of("memory", "q-" + UUID.randomUUID());
  }

  @Override
  protected Optional<Message> takeReplayed(SourceRef target, Duration wait) throws Exception {
    return dev.dlq.contract.Settle.takeOne(mem.source(target.destination()), wait);
  }
}
