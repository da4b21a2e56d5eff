/**
 * dlq on PostgreSQL. Audience: applications. {@link dev.dlq.postgres.PostgresSchema} creates the
 * tables, {@link dev.dlq.postgres.PostgresQueue} enqueues tasks (also inside your own transaction:
 * the outbox) and gives workers a {@link dev.dlq.spi.Source}, and
 * {@link dev.dlq.postgres.PostgresDeadLetterStore} keeps dead letters and serves the operator side.
 * The provider name for {@link dev.dlq.Dlq} is {@code postgres}.
 */
package dev.dlq.postgres;
