package dev.dlq.examples.natsmonitor;

import dev.dlq.Classified;
import dev.dlq.ErrorClass;
import dev.dlq.InvalidMessageException;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.nats.JetStreamDlq;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Seed 001, the consumer: a durable JetStream pull consumer on {@code <prefix>.analysis.*} with
 * explicit acks. The handler's three results are dlq's: return {@link Outcome#success()} (ack),
 * throw a transient error (retry with exponential backoff, 3 attempts in all, then dead), throw
 * {@link InvalidMessageException} (dead at once, never retried). A dead message is published to
 * {@code <prefix>.dlq.<event type>} with its payload byte-exact and the whole error context in
 * headers (error class, type and message, stack trace, attempts and their times, original subject
 * and headers), then terminated in the work stream.
 */
public final class AnalysisConsumer implements AutoCloseable {
  /** 3 attempts in all, up to 200 ms then 400 ms apart (exponential backoff, full jitter), as the seed retries. */
  static final RetryPolicy POLICY = RetryPolicy.exponential(Duration.ofMillis(200), Duration.ofSeconds(5), 3);

  /** The example's stand-ins for the services the handlers call: up or down, as the scenario says. */
  final AtomicBoolean weatherServiceUp = new AtomicBoolean(false);
  final AtomicBoolean databaseUp = new AtomicBoolean(false);
  /** What was processed, as {@code type/field after N attempt(s)}. */
  final List<String> processed = new CopyOnWriteArrayList<>();
  private final Worker worker;

  private AnalysisConsumer(JetStreamDlq nats, String stream) {
    this.worker = Worker.builder(nats.source(stream, "analysis-worker")
            .filterSubject(nats.subjectPrefix() + ".analysis.*") // the type is the subject's last token
            .build(), this::handle)
        .retryPolicy(POLICY)   // the attempt budget, stated once; JetStream's MaxDeliver follows from it
        .workerId("analysis-worker-1")
        .build();              // the sink defaults to the source's: the DLQ stream on <prefix>.dlq.>
  }

  /** Creates or updates the durable consumer on {@code stream} and starts consuming. */
  public static AnalysisConsumer start(JetStreamDlq nats, String stream) {
    AnalysisConsumer consumer = new AnalysisConsumer(nats, stream);
    consumer.worker.start();
    return consumer;
  }

  /** The handler: validate, then call the service the event type needs. */
  private Outcome handle(Message event) throws IOException {
    JsonObject json = parse(event);
    String field = json.getString("field", "");
    if (field.isBlank()) {
      throw new InvalidMessageException("field is missing");
    }
    switch (event.type()) {
      case "soil_moisture":
        JsonValue moisture = json.get("moisture");
        if (!(moisture instanceof JsonNumber n) || n.doubleValue() < 0 || n.doubleValue() > 1) {
          throw new InvalidMessageException("moisture must be a number between 0 and 1 but was " + moisture);
        }
        break;
      case "ndvi_ready":
        if (event.attempt() < 3) { // the imagery service is slow to warm up
          throw new SocketTimeoutException("imagery service timed out on attempt " + event.attempt());
        }
        break;
      case "weather_update":
        if (!weatherServiceUp.get()) {
          throw new IOException("weather service unavailable");
        }
        break;
      case "yield_forecast":
        if (!databaseUp.get()) {
          throw new DatabaseError("relation yield_forecasts does not exist");
        }
        break;
      default:
        throw new InvalidMessageException("no handler for event type " + event.type());
    }
    processed.add(event.type() + "/" + field + " after " + event.attempt() + " attempt(s)");
    return Outcome.success();
  }

  private static JsonObject parse(Message event) {
    try (var reader = Json.createReader(new StringReader(event.payloadAsString()))) {
      return reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw new InvalidMessageException("not a JSON object: " + e.getMessage(), e);
    }
  }

  /** A failure of our own database: a critical error (SYSTEM_ERROR), retried, then alerted on. */
  static final class DatabaseError extends RuntimeException implements Classified {
    private static final long serialVersionUID = 1L;

    DatabaseError(String message) {
      super(message);
    }

    @Override
    public ErrorClass errorClass() {
      return ErrorClass.SYSTEM_ERROR;
    }
  }

  /** Stops consuming; what the worker holds goes back to JetStream. */
  @Override
  public void close() {
    worker.close();
  }
}
