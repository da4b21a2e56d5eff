/**
 * The SQS backend: {@link dev.dlq.sqs.SqsSource} (a worker's source over a queue),
 * {@link dev.dlq.sqs.SqsDeadLetterSink} (dead letters to a dead-letter queue),
 * {@link dev.dlq.sqs.SqsRedrive} (dead-letter queue back to its queue, native RedrivePolicy),
 * the message envelope ({@link dev.dlq.sqs.SqsEnvelope}) and {@link dev.dlq.sqs.SqsClients}.
 * The provider named "sqs" makes sources and sinks from settings (docs/sqs.md).
 *
 * <p>Audience: applications that consume SQS with dlq, and operators' tools that redrive.
 */
package dev.dlq.sqs;
