/**
 * dlq: retries, dead-lettering and recovery for failed messages.
 *
 * <p>{@code dev.dlq} is the user API, {@code dev.dlq.spi} is for backend implementers; the engine
 * and the in-memory backend live in non-exported {@code dev.dlq.internal} packages.
 */
module dev.dlq {
  requires org.slf4j;
  requires java.sql;
  requires jakarta.json;

  exports dev.dlq;
  exports dev.dlq.spi;

  uses dev.dlq.spi.SourceProvider;
  uses dev.dlq.spi.DeadLetterSinkProvider;
  uses dev.dlq.spi.DeadLetterStoreProvider;
  uses dev.dlq.ErrorClassifier;

  provides dev.dlq.spi.SourceProvider with dev.dlq.internal.memory.MemoryProviders.Sources;
  provides dev.dlq.spi.DeadLetterSinkProvider with dev.dlq.internal.memory.MemoryProviders.Sinks;
  provides dev.dlq.spi.DeadLetterStoreProvider with dev.dlq.internal.memory.MemoryProviders.Stores;
}
