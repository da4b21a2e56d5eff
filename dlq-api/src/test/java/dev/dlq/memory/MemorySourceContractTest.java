package dev.dlq.memory;

import dev.dlq.InMemory;
import dev.dlq.contract.SourceContract;
import dev.dlq.spi.Source;
import java.util.Map;
import java.util.UUID;

class MemorySourceContractTest extends SourceContract {
  private final InMemory mem = InMemory.create();
  private final String queue = "q-" + UUID.randomUUID();

  @Override
  protected Source newSource() {
    return mem.source(queue);
  }

  @Override
  protected String enqueue(String type, byte[] payload, Map<String, String> headers) {
    return mem.enqueue(queue, null, type, payload, headers);
  }
}
