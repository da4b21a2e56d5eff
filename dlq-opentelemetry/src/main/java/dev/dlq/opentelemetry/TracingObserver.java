package dev.dlq.opentelemetry;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.spi.DlqObserver;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.time.Duration;

/**
 * Records the outcome of each attempt once it is durable: a {@code dlq retry <type>} span or a
 * {@code dlq dead-letter <type>} span, the child of the attempt's process span when the processor
 * was wrapped by the same {@link DlqTracing}, else of the trace context the message carries (deaths
 * found by reapers, guards and backstops, where no processor ran).
 */
final class TracingObserver implements DlqObserver {
  private final DlqTracing tracing;

  TracingObserver(DlqTracing tracing) {
    this.tracing = tracing;
  }

  @Override
  public void succeeded(Message message, Duration took) {
    tracing.spans().take(message);
  }

  @Override
  public void released(Message message) {
    tracing.spans().take(message);
  }

  @Override
  public void settleFailed(Message message, String action, RuntimeException error) {
    tracing.spans().take(message);
  }

  @Override
  public void retried(Message message, Attempt failed, Duration delay) {
    Span span = start("dlq retry " + message.type(), message);
    span.setAttribute(SpanAttributes.RETRY_DELAY_MS, delay.toMillis());
    span.setAttribute(SpanAttributes.ERROR_CLASS, failed.errorClass().name());
    span.setAttribute(SpanAttributes.ERROR_TYPE, failed.errorType());
    span.end();
  }

  @Override
  public void deadLettered(DeadLetter deadLetter, RecordResult result, Duration took) {
    Span span = start("dlq dead-letter " + deadLetter.message().type(), deadLetter.message());
    span.setAttribute(SpanAttributes.REASON, deadLetter.reason().name());
    span.setAttribute(SpanAttributes.ERROR_CLASS, deadLetter.errorClass().name());
    span.setAttribute(SpanAttributes.ERROR_TYPE, deadLetter.errorType());
    span.setAttribute(SpanAttributes.DEAD_LETTER_ID, deadLetter.id());
    span.setAttribute(SpanAttributes.RECORD_RESULT, result.name());
    span.setStatus(StatusCode.ERROR, "dead-lettered: " + deadLetter.reason().name());
    span.end();
  }

  private Span start(String name, Message message) {
    SpanContext process = tracing.spans().take(message);
    Context parent = process != null && process.isValid()
        ? Context.root().with(Span.wrap(process))
        : tracing.extract(message.headers());
    return tracing.tracer().spanBuilder(name)
        .setSpanKind(SpanKind.INTERNAL)
        .setParent(parent)
        .setAllAttributes(SpanAttributes.of(message, null))
        .startSpan();
  }
}
