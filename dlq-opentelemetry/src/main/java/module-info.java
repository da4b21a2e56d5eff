/**
 * dlq on OpenTelemetry: {@link dev.dlq.opentelemetry.DlqTracing} carries the W3C trace context in
 * message headers and records spans for process, retry, dead-letter and replay.
 */
module dev.dlq.opentelemetry {
  requires transitive dev.dlq;
  requires transitive io.opentelemetry.api;
  requires transitive io.opentelemetry.context;

  exports dev.dlq.opentelemetry;
}
