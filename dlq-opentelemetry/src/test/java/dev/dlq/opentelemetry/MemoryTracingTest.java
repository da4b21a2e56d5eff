package dev.dlq.opentelemetry;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.InMemory;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Source;
import java.util.Map;

/** The scenario on the in-memory backend (the same engine, no server). */
class MemoryTracingTest extends TracingScenario {
  private final InMemory memory = InMemory.create();

  @Override
  String send(String type, byte[] payload, Map<String, String> headers) {
    return memory.enqueue("orders", "m-1", type, payload, headers);
  }

  @Override
  Source source() {
    return memory.source("orders");
  }

  @Override
  DeadLetter deadLetter() {
    return memory.store().find(DeadLetterQuery.of(DeadLetterFilter.all(), 10)).items().get(0).deadLetter();
  }

  @Override
  DeadLetterStore store() {
    return memory.store();
  }

  @Override
  String system() {
    return "memory";
  }
}
