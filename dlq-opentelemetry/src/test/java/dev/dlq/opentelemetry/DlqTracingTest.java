package dev.dlq.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.DeadLetter;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pieces on their own: inject, extract, the trace id accessor, hostile headers, a bounded span index. */
class DlqTracingTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
      .build();
  private final DlqTracing tracing = DlqTracing.of(otel);

  @AfterEach
  void close() {
    otel.close();
  }

  @Test
  void injectAddsTheCurrentContextToACopyAndExtractReadsItBack() {
    Map<String, String> mine = Map.of("tenant", "acme", DlqTracing.TRACEPARENT, "stale");
    Span span = otel.getTracer("t").spanBuilder("send").startSpan();
    Map<String, String> headers;
    try (Scope ignored = span.makeCurrent()) {
      headers = tracing.inject(mine);
    } finally {
      span.end();
    }
    assertThat(mine).containsEntry(DlqTracing.TRACEPARENT, "stale");
    assertThat(headers).containsEntry("tenant", "acme").containsEntry(DlqTracing.TRACEPARENT,
        "00-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId() + "-"
            + span.getSpanContext().getTraceFlags().asHex());
    assertThat(headers).doesNotContainKey(DlqTracing.TRACESTATE);
    assertThat(Span.fromContext(tracing.extract(headers)).getSpanContext().getSpanId())
        .isEqualTo(span.getSpanContext().getSpanId());
    assertThat(DlqTracing.traceId(headers)).contains(span.getSpanContext().getTraceId());
  }

  @Test
  void withoutACurrentSpanNothingIsAdded() {
    assertThat(tracing.inject(Map.of("a", "b"))).isEqualTo(Map.of("a", "b"));
    assertThat(DlqTracing.of(OpenTelemetry.noop()).inject(new HashMap<>())).isEmpty();
  }

  @Test
  void malformedOrHostileTraceparentsGiveNoTraceAndARootParent() {
    for (String bad : List.of("", "garbage", "00-00000000000000000000000000000000-0000000000000001-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-" + "a".repeat(10_000))) {
      Map<String, String> h = Map.of(DlqTracing.TRACEPARENT, bad);
      assertThat(DlqTracing.traceId(h)).as(bad).isEmpty();
      assertThat(Span.fromContext(tracing.extract(h)).getSpanContext().isValid()).as(bad).isFalse();
    }
    assertThat(tracing.extract(Map.of())).isSameAs(Context.root());
  }

  @Test
  void aDeadLettersTraceIdComesFromItsMessagesHeaders() {
    String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    DeadLetter dl = DeadLetter.builder(message(Map.of(DlqTracing.TRACEPARENT, tp))).build();
    assertThat(DlqTracing.traceId(dl)).contains("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(DlqTracing.traceId(DeadLetter.builder(message(Map.of())).build())).isEmpty();
  }

  @Test
  void aDeadLetterFoundWithoutAProcessorHangsOffTheMessagesOwnTrace() {
    String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    DeadLetter dl = DeadLetter.builder(message(Map.of(DlqTracing.TRACEPARENT, tp)))
        .reason(dev.dlq.DeadLetterReason.LEASE_EXPIRED).errorType("lease-expired").build();
    tracing.observer().deadLettered(dl, dev.dlq.RecordResult.CREATED, Duration.ZERO);
    SpanData s = exporter.getFinishedSpanItems().get(0);
    assertThat(s.getName()).isEqualTo("dlq dead-letter order");
    assertThat(s.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(s.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(s.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(s.getAttributes().get(SpanAttributes.REASON)).isEqualTo("LEASE_EXPIRED");
    assertThat(s.getAttributes().get(SpanAttributes.SYSTEM)).isEqualTo("postgresql");
  }

  @Test
  void theProcessSpanIndexStaysBoundedWithoutTheObserver() throws Exception {
    var p = tracing.wrap(m -> dev.dlq.Outcome.success());
    for (int i = 0; i < ProcessSpans.MAX + 50; i++) {
      p.process(message(Map.of()).withAttempt(i + 1));
    }
    assertThat(tracing.spans().size()).isEqualTo(ProcessSpans.MAX);
    tracing.observer().succeeded(message(Map.of()).withAttempt(ProcessSpans.MAX + 50), Duration.ZERO);
    assertThat(tracing.spans().size()).isEqualTo(ProcessSpans.MAX - 1);
  }

  @Test
  void argumentsAreChecked() {
    assertThatThrownBy(() -> DlqTracing.of(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("openTelemetry must not be null");
    assertThatThrownBy(() -> tracing.wrap(null)).hasMessage("processor must not be null");
    assertThatThrownBy(() -> tracing.inject(null)).hasMessage("headers must not be null");
  }

  private static Message message(Map<String, String> headers) {
    return new Message("m-1", "order", new byte[] {1}, headers, SourceRef.of("postgres", "orders"), 1, Instant.EPOCH);
  }
}
