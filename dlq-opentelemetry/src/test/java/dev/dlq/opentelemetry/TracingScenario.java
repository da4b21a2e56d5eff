package dev.dlq.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.Outcome;
import dev.dlq.ReplayRequest;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Source;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One trace from enqueue to replay, run against each backend: a producer span enqueues a message
 * with {@link DlqTracing#inject}; the worker (wrapped processor, tracing observer) fails it three
 * times and dead-letters it; the dead letter still carries the trace; a replay through
 * {@link DlqTracing#replay} links it, and the replayed message is processed in the original trace.
 * The SDK has no propagators configured: the W3C context must travel anyway.
 */
abstract class TracingScenario {
  static final Duration PATIENCE = Duration.ofSeconds(30);
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("dlq.attempt");

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  OpenTelemetrySdk otel;
  DlqTracing tracing;

  /** Sends a message of {@code type} with {@code headers}; returns its message id. */
  abstract String send(String type, byte[] payload, Map<String, String> headers) throws Exception;

  /** A new source of what {@link #send} sent. */
  abstract Source source() throws Exception;

  /** Tunes the worker for the backend (a sink, a poll wait). */
  Worker.Builder tune(Worker.Builder b) {
    return b;
  }

  /** The one dead letter, read back from where the backend keeps it. */
  abstract DeadLetter deadLetter() throws Exception;

  /** The store to replay from, or null when the backend has none (SQS redrives instead). */
  abstract DeadLetterStore store();

  /** Replays {@code dl} through {@link #tracing}; returns how many were sent back. */
  int replay(DeadLetter dl) {
    return tracing.replay(store(), ReplayRequest.ofIds(List.of(dl.id()), "alice")).replayed();
  }

  /** The expected {@code messaging.system}. */
  abstract String system();

  @BeforeEach
  void sdk() {
    otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build();
    tracing = DlqTracing.of(otel);
  }

  @AfterEach
  void closeSdk() {
    otel.close();
  }

  @Test
  void oneTraceFromEnqueueThroughRetriesTheDeadLetterAndItsReplay() throws Exception {
    Span producer = otel.getTracer("app").spanBuilder("checkout").setSpanKind(SpanKind.PRODUCER).startSpan();
    String id;
    try (Scope ignored = producer.makeCurrent()) {
      id = send("order", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), tracing.inject(Map.of("tenant", "acme")));
    } finally {
      producer.end();
    }
    String traceId = producer.getSpanContext().getTraceId();
    AtomicBoolean broken = new AtomicBoolean(true);
    Set<String> tracesSeenInside = ConcurrentHashMap.newKeySet();
    try (Worker w = tune(Worker.builder(source(), tracing.wrap(m -> {
      tracesSeenInside.add(Span.current().getSpanContext().getTraceId());
      if (broken.get()) {
        throw new IllegalStateException("downstream down for " + m.id());
      }
      return Outcome.success();
    })).observer(tracing.observer()).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(50), 3))).build().start()) {
      await("the dead-letter span", () -> !named("dlq dead-letter order").isEmpty());

      List<SpanData> process = named("dlq process order");
      process.sort(Comparator.comparing(s -> s.getAttributes().get(ATTEMPT)));
      assertThat(process).hasSize(3);
      assertThat(process).extracting(s -> s.getAttributes().get(ATTEMPT)).containsExactly(1L, 2L, 3L);
      assertThat(process).allSatisfy(s -> {
        assertThat(s.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(s.getTraceId()).isEqualTo(traceId);
        assertThat(s.getParentSpanId()).isEqualTo(producer.getSpanContext().getSpanId());
        assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(s.getEvents()).extracting(e -> e.getName()).contains("exception");
        assertThat(s.getAttributes().get(AttributeKey.stringKey("messaging.system"))).isEqualTo(system());
        assertThat(s.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))).isNotBlank();
        assertThat(s.getAttributes().get(AttributeKey.stringKey("messaging.message.id"))).isEqualTo(id);
        assertThat(s.getAttributes().get(AttributeKey.stringKey("dlq.type"))).isEqualTo("order");
      });
      assertThat(tracesSeenInside).containsExactly(traceId);

      List<SpanData> retries = named("dlq retry order");
      assertThat(retries).hasSize(2);
      assertThat(retries).extracting(SpanData::getParentSpanId)
          .containsExactlyInAnyOrder(process.get(0).getSpanId(), process.get(1).getSpanId());
      assertThat(retries).allSatisfy(s -> {
        assertThat(s.getTraceId()).isEqualTo(traceId);
        assertThat(s.getAttributes().get(AttributeKey.stringKey("error.type")))
            .isEqualTo(IllegalStateException.class.getName());
        assertThat(s.getAttributes().get(AttributeKey.stringKey("dlq.error.class"))).isNotBlank();
        assertThat(s.getAttributes().get(AttributeKey.longKey("dlq.retry.delay_ms"))).isNotNull();
      });

      SpanData dead = named("dlq dead-letter order").get(0);
      assertThat(named("dlq dead-letter order")).hasSize(1);
      assertThat(dead.getTraceId()).isEqualTo(traceId);
      assertThat(dead.getParentSpanId()).isEqualTo(process.get(2).getSpanId());
      assertThat(dead.getAttributes().get(AttributeKey.stringKey("dlq.dead_letter.reason")))
          .isEqualTo(DeadLetterReason.EXHAUSTED.name());
      assertThat(dead.getAttributes().get(AttributeKey.stringKey("error.type")))
          .isEqualTo(IllegalStateException.class.getName());

      DeadLetter dl = deadLetter();
      assertThat(dl.message().id()).isEqualTo(id);
      assertThat(DlqTracing.traceId(dl)).contains(traceId);
      assertThat(dl.message().headers()).containsEntry("tenant", "acme")
          .containsEntry(DlqTracing.TRACEPARENT, "00-" + traceId + "-" + producer.getSpanContext().getSpanId() + "-"
              + producer.getSpanContext().getTraceFlags().asHex());
      assertThat(dead.getAttributes().get(AttributeKey.stringKey("dlq.error.class"))).isEqualTo(dl.errorClass().name());
      assertThat(dead.getAttributes().get(AttributeKey.stringKey("dlq.dead_letter.id"))).isEqualTo(dl.id());

      broken.set(false);
      assertThat(replay(dl)).isEqualTo(1);
      SpanData replay = named("dlq replay").get(0);
      assertThat(replay.getKind()).isEqualTo(SpanKind.PRODUCER);
      assertThat(replay.getLinks()).extracting(LinkData::getSpanContext)
          .extracting(c -> c.getTraceId()).containsExactly(traceId);
      assertThat(replay.getLinks().get(0).getAttributes().get(AttributeKey.stringKey("dlq.dead_letter.id")))
          .isEqualTo(dl.id());
      assertThat(replay.getAttributes().get(AttributeKey.stringKey("dlq.replay.operator"))).isEqualTo("alice");
      if (store() != null) {
        assertThat(replay.getAttributes().get(AttributeKey.longKey("dlq.replay.replayed"))).isEqualTo(1L);
      }

      await("the replayed message's success", () -> named("dlq process order").stream()
          .anyMatch(s -> "success".equals(s.getAttributes().get(AttributeKey.stringKey("dlq.outcome")))));
      SpanData again = named("dlq process order").stream()
          .filter(s -> "success".equals(s.getAttributes().get(AttributeKey.stringKey("dlq.outcome")))).findFirst()
          .orElseThrow();
      assertThat(again.getTraceId()).as("a replayed message is processed in its original trace").isEqualTo(traceId);
      assertThat(again.getAttributes().get(ATTEMPT)).as("a fresh budget").isEqualTo(1L);
      assertThat(again.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    }
  }

  List<SpanData> named(String name) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name))
        .collect(Collectors.toList());
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline).as("timed out after " + PATIENCE + " waiting for " + what).isTrue();
      Thread.sleep(20);
    }
  }
}
