package dev.dlq.opentelemetry;

import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.Processor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/** Runs the processor inside a CONSUMER span whose parent is the trace context the message carries. */
final class TracingProcessor implements Processor {
  private final DlqTracing tracing;
  private final Processor delegate;

  TracingProcessor(DlqTracing tracing, Processor delegate) {
    this.tracing = tracing;
    this.delegate = delegate;
  }

  @Override
  public Outcome process(Message message) throws Exception {
    Span span = tracing.tracer().spanBuilder("dlq process " + message.type())
        .setSpanKind(SpanKind.CONSUMER)
        .setParent(tracing.extract(message.headers()))
        .setAllAttributes(SpanAttributes.of(message, "process"))
        .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      Outcome outcome = delegate.process(message);
      span.setAttribute(SpanAttributes.OUTCOME, outcomeName(outcome));
      if (outcome instanceof Outcome.DeadLetter dead) {
        span.setStatus(StatusCode.ERROR, "rejected: " + dead.why());
      } else if (outcome instanceof Outcome.Retry) {
        span.setStatus(StatusCode.ERROR, "retry asked");
      }
      return outcome;
    } catch (Throwable t) {
      span.recordException(t);
      span.setAttribute(SpanAttributes.ERROR_TYPE, t.getClass().getName());
      span.setStatus(StatusCode.ERROR, t.getClass().getName());
      throw t;
    } finally {
      span.end();
      tracing.spans().put(message, span.getSpanContext());
    }
  }

  private static String outcomeName(Outcome o) {
    if (o instanceof Outcome.Success) {
      return "success";
    }
    return o instanceof Outcome.Retry ? "retry" : o instanceof Outcome.DeadLetter ? "dead_letter" : "none";
  }
}
