package dev.dlq.opentelemetry;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStatus;
import dev.dlq.Processor;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.Checks;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.DlqObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Traces dlq's messages with OpenTelemetry. The W3C trace context ({@value #TRACEPARENT}, and
 * {@value #TRACESTATE} when there is one) travels in the message's string headers, which every
 * backend keeps byte-exact through retries, the dead letter and its replay:
 *
 * <pre>{@code
 * DlqTracing tracing = DlqTracing.of(openTelemetry);
 * queue.enqueue("order", payload, tracing.inject(Map.of("tenant", "acme")));      // producer side
 * Worker.builder(source, tracing.wrap(processor)).observer(tracing.observer())...; // consumer side
 * tracing.replay(store, ReplayRequest.ofIds(ids, "alice"));                        // operator side
 * }</pre>
 *
 * <p>Spans: {@code dlq process <type>} (CONSUMER, one per processor call, the child of the context
 * the message carries); {@code dlq retry <type>} and {@code dlq dead-letter <type>} (INTERNAL,
 * children of that attempt's process span, recorded once the outcome is durable); {@code dlq replay}
 * (PRODUCER, linked to the trace of each dead letter it names). A dead letter keeps the headers of
 * its message, so {@link #traceId(DeadLetter)} finds its trace, and a replayed message is processed
 * in its original trace.
 *
 * <p>The W3C trace-context propagator is always used, followed by the propagators of the given
 * {@link OpenTelemetry} (baggage, for example). Immutable and thread-safe.
 */
public final class DlqTracing {
  /** The W3C trace-context header that carries the trace id and the parent span id. */
  public static final String TRACEPARENT = "traceparent";
  /** The W3C trace-context header that carries vendor state, sent only when not empty. */
  public static final String TRACESTATE = "tracestate";
  /** The instrumentation scope name of dlq's spans. */
  public static final String SCOPE = "dev.dlq";
  /** At most this many links on a replay span (the first dead letters the request names or matches). */
  public static final int MAX_REPLAY_LINKS = 128;

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final ProcessSpans spans = new ProcessSpans();
  private final DlqObserver observer = new TracingObserver(this);

  private DlqTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(SCOPE);
    this.propagator = TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
        openTelemetry.getPropagators().getTextMapPropagator());
  }

  /**
   * Tracing with the tracer and propagators of {@code openTelemetry}.
   *
   * @param openTelemetry the SDK (or {@code GlobalOpenTelemetry.get()})
   * @return the tracing; keep one per application, its observer and wrapped processors work together
   * @throws IllegalArgumentException when {@code openTelemetry} is null
   */
  public static DlqTracing of(OpenTelemetry openTelemetry) {
    return new DlqTracing(Checks.notNull(openTelemetry, "openTelemetry"));
  }

  /**
   * The headers to enqueue, send or publish a message with: {@code headers} plus the current
   * context's {@value #TRACEPARENT} (and {@value #TRACESTATE}, and whatever the other propagators
   * write). Works the same for {@code PostgresQueue.enqueue}, {@code SqsEnvelope.request} and a NATS
   * publish, which all take string headers. Without a current span nothing is added.
   *
   * @param headers the message's own headers; not changed
   * @return a new modifiable map with the trace headers added (replacing stale ones of the same name)
   * @throws IllegalArgumentException when {@code headers} is null
   */
  public Map<String, String> inject(Map<String, String> headers) {
    Map<String, String> out = new LinkedHashMap<>(Checks.notNull(headers, "headers"));
    propagator.inject(Context.current(), out, Headers.SETTER);
    return out;
  }

  /**
   * The context a message's headers carry, for processing it as part of its producer's trace.
   *
   * @param headers a message's headers
   * @return the extracted context on top of the root context; the root context when the headers
   *     carry none (or a malformed one)
   * @throws IllegalArgumentException when {@code headers} is null
   */
  public Context extract(Map<String, String> headers) {
    return propagator.extract(Context.root(), Checks.notNull(headers, "headers"), Headers.GETTER);
  }

  /**
   * {@code processor}, run inside a {@code dlq process <type>} CONSUMER span. Give the worker
   * {@link #observer()} too, so the retry and dead-letter spans become children of the process span.
   *
   * @param processor the user's processor
   * @return a processor that traces each call and otherwise behaves the same
   * @throws IllegalArgumentException when {@code processor} is null
   */
  public Processor wrap(Processor processor) {
    return new TracingProcessor(this, Checks.notNull(processor, "processor"));
  }

  /**
   * The observer that records retries and dead letters as spans; add it to the worker with
   * {@code Worker.Builder.observer(..)}.
   *
   * @return the same observer on every call
   */
  public DlqObserver observer() {
    return observer;
  }

  /**
   * Replays through {@code store} inside a {@code dlq replay} PRODUCER span linked to the original
   * trace of each dead letter the request names (by id) or matches (PENDING ones, by its filter),
   * at most {@value #MAX_REPLAY_LINKS}. The replayed messages keep their headers, so they are
   * processed in their original traces.
   *
   * @param store the dead-letter store to replay from
   * @param request what to replay
   * @return what the store's replay returned
   * @throws IllegalArgumentException when an argument is null, or as the store's replay does
   * @throws dev.dlq.DlqException as the store's replay does (recorded on the span, then rethrown)
   */
  public ReplayResult replay(DeadLetterStore store, ReplayRequest request) {
    Checks.notNull(store, "store");
    Checks.notNull(request, "request");
    return inReplaySpan(linked(store, request), request.operator(), () -> store.replay(request), (span, r) -> {
      span.setAttribute(SpanAttributes.REPLAY_ID, r.replayId());
      span.setAttribute(SpanAttributes.REPLAYED, (long) r.replayed());
      span.setAttribute(SpanAttributes.SKIPPED, (long) r.skipped().size());
    });
  }

  /**
   * Runs any other replay (an SQS redrive, a tool of your own) inside a {@code dlq replay} PRODUCER
   * span linked to the original trace of each of {@code deadLetters} (the first
   * {@value #MAX_REPLAY_LINKS}).
   *
   * @param <T> what the replay returns
   * @param deadLetters the dead letters it sends back, as far as they are known
   * @param operator who asked (recorded as {@code dlq.replay.operator})
   * @param replay the replay itself, run with the replay span current
   * @return what {@code replay} returned
   * @throws IllegalArgumentException when an argument is null or {@code operator} is blank
   * @throws RuntimeException what {@code replay} throws (recorded on the span, then rethrown)
   */
  public <T> T replay(Collection<DeadLetter> deadLetters, String operator, Supplier<T> replay) {
    Checks.notNull(deadLetters, "deadLetters");
    Checks.notBlank(operator, "operator");
    Checks.notNull(replay, "replay");
    return inReplaySpan(deadLetters.stream().filter(Objects::nonNull).limit(MAX_REPLAY_LINKS).collect(Collectors.toList()), operator,
        replay, (span, r) -> {});
  }

  private <T> T inReplaySpan(List<DeadLetter> linked, String operator, Supplier<T> replay,
      BiConsumer<Span, T> describe) {
    SpanBuilder b = tracer.spanBuilder("dlq replay").setSpanKind(SpanKind.PRODUCER)
        .setAttribute(SpanAttributes.OPERATOR, operator);
    for (DeadLetter dl : linked) {
      SpanContext original = Span.fromContext(extract(dl.message().headers())).getSpanContext();
      if (original.isValid()) {
        b.addLink(original, Attributes.of(SpanAttributes.DEAD_LETTER_ID, dl.id()));
      }
    }
    Span span = b.startSpan();
    try (Scope ignored = span.makeCurrent()) {
      T result = replay.get();
      describe.accept(span, result);
      return result;
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getClass().getName());
      throw e;
    } finally {
      span.end();
    }
  }

  /**
   * The trace id a dead letter's message carries in its {@value #TRACEPARENT} header.
   *
   * @param deadLetter a dead letter
   * @return the 32-hex-digit trace id, or empty when the header is absent or malformed
   * @throws IllegalArgumentException when {@code deadLetter} is null
   */
  public static Optional<String> traceId(DeadLetter deadLetter) {
    return traceId(Checks.notNull(deadLetter, "deadLetter").message().headers());
  }

  /**
   * The trace id that message headers carry in {@value #TRACEPARENT}, checked as W3C trace context.
   *
   * @param headers a message's headers
   * @return the 32-hex-digit trace id, or empty when the header is absent or malformed
   * @throws IllegalArgumentException when {@code headers} is null
   */
  public static Optional<String> traceId(Map<String, String> headers) {
    Context c = W3CTraceContextPropagator.getInstance()
        .extract(Context.root(), Checks.notNull(headers, "headers"), Headers.GETTER);
    SpanContext sc = Span.fromContext(c).getSpanContext();
    return sc.isValid() ? Optional.of(sc.getTraceId()) : Optional.empty();
  }

  Tracer tracer() {
    return tracer;
  }

  ProcessSpans spans() {
    return spans;
  }

  // what the replay will send, read before it does (a replay marks them REPLAYED); bounded
  private static List<DeadLetter> linked(DeadLetterStore store, ReplayRequest request) {
    List<DeadLetter> out = new ArrayList<>();
    if (!request.ids().isEmpty()) {
      for (String id : request.ids()) {
        if (out.size() == MAX_REPLAY_LINKS) {
          break;
        }
        store.get(id).ifPresent(s -> out.add(s.deadLetter()));
      }
      return out;
    }
    DeadLetterFilter filter = request.filter();
    for (StoredDeadLetter s : store.find(DeadLetterQuery.of(filter, MAX_REPLAY_LINKS)).items()) {
      if (s.status() == DeadLetterStatus.PENDING) {
        out.add(s.deadLetter());
      }
    }
    return out;
  }
}
