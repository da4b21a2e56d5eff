/**
 * For users: tracing of dlq's messages with OpenTelemetry ({@link dev.dlq.opentelemetry.DlqTracing}):
 * inject at enqueue, wrap the processor, add the observer, replay through it.
 */
package dev.dlq.opentelemetry;
