/**
 * The NATS JetStream backend. Audience: applications that consume a JetStream stream with a
 * {@link dev.dlq.Worker} and keep their dead letters in a DLQ stream. Start from
 * {@link dev.dlq.nats.JetStreamDlq}; the {@code nats} provider of {@link dev.dlq.Dlq} builds the same
 * objects from string settings.
 */
package dev.dlq.nats;
