/**
 * dlq's PostgreSQL backend: a task queue and outbox ({@link dev.dlq.postgres.PostgresQueue}), the
 * dead-letter sink and store ({@link dev.dlq.postgres.PostgresDeadLetterStore}) and the schema
 * migrations ({@link dev.dlq.postgres.PostgresSchema}). Implementation lives in the non-exported
 * {@code dev.dlq.postgres.internal} package.
 */
module dev.dlq.postgres {
  requires transitive dev.dlq;
  requires transitive java.sql;
  requires org.postgresql.jdbc;
  requires java.naming;
  requires org.slf4j;
  requires jakarta.json;

  exports dev.dlq.postgres;

  provides dev.dlq.spi.SourceProvider with dev.dlq.postgres.internal.PgProviders.Sources;
  provides dev.dlq.spi.DeadLetterSinkProvider with dev.dlq.postgres.internal.PgProviders.Sinks;
  provides dev.dlq.spi.DeadLetterStoreProvider with dev.dlq.postgres.internal.PgProviders.Stores;
}
