/**
 * The NATS JetStream backend of dlq: a pull-consumer {@link dev.dlq.spi.Source}, dead letters
 * published to {@code <prefix>.dlq.<type>}, the DLQ stream as a {@link dev.dlq.spi.DeadLetterStore},
 * a max-deliveries backstop and a DLQ monitor. Users construct {@link dev.dlq.nats.JetStreamDlq};
 * everything else lives in the non-exported {@code dev.dlq.nats.internal}.
 */
module dev.dlq.nats {
  requires transitive dev.dlq;
  requires transitive io.nats.jnats;
  requires org.slf4j;
  requires jakarta.json;

  exports dev.dlq.nats;

  provides dev.dlq.spi.SourceProvider with dev.dlq.nats.internal.NatsProviders.Sources;
  provides dev.dlq.spi.DeadLetterSinkProvider with dev.dlq.nats.internal.NatsProviders.Sinks;
  provides dev.dlq.spi.DeadLetterStoreProvider with dev.dlq.nats.internal.NatsProviders.Stores;
  provides dev.dlq.ErrorClassifier with dev.dlq.nats.internal.NatsErrorClassifier;
}
