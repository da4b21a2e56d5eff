package dev.dlq.nats.internal;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.DeadLetterReason;
import dev.dlq.spi.DlqObserver;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.spi.DeadLetterSink;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash backstop: when a message of the work consumer runs out of deliveries without an outcome
 * (its workers crashed or hung each time), JetStream publishes a max-deliveries advisory. Those
 * advisories are captured in a small work-queue stream, so none is lost while no worker runs, and a
 * durable consumer on it (shared by every worker of the consumer: each advisory is handled once)
 * dead-letters the message as {@link DeadLetterReason#LEASE_EXPIRED}, counting the death once.
 */
public final class Backstop implements AutoCloseable {
  // the static Json.create* methods look the provider up with ServiceLoader on every call
  private static final jakarta.json.spi.JsonProvider JSON = jakarta.json.spi.JsonProvider.provider();

  private static final Logger log = LoggerFactory.getLogger(Backstop.class);
  static final String DURABLE = "dlq-backstop";
  private static final int NO_MESSAGE_FOUND = 10037;

  private final Connection conn;
  private final String stream;
  private final String consumer;
  private final int maxDeliver;
  private final MessageDecoder decoder;
  private final History history;
  private final DeadLetterSink sink;
  private final DlqObserver observer;
  private final DeadLetterFormat format;
  private final Clock clock;
  private final AtomicLong handled = new AtomicLong();
  private final JetStreamSubscription sub;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * Starts the backstop of {@code consumer} on {@code stream}.
   *
   * @param history failed attempts this process knows of, or null
   */
  public Backstop(Connection conn, String stream, String consumer, int maxDeliver, MessageDecoder decoder,
      History history, DeadLetterSink sink, DlqObserver observer, DeadLetterFormat format, Clock clock) {
    this.conn = conn;
    this.stream = stream;
    this.consumer = consumer;
    this.maxDeliver = maxDeliver;
    this.decoder = decoder;
    this.history = history;
    this.sink = sink;
    this.observer = observer;
    this.format = format;
    this.clock = clock;
    String advisoryStream = advisoryStream(stream, consumer);
    try {
      Nats.ensureStream(conn.jetStreamManagement(), StreamConfiguration.builder()
          .name(advisoryStream)
          .subjects(advisorySubject(stream, consumer))
          .retentionPolicy(RetentionPolicy.WorkQueue)
          .storageType(StorageType.File)
          .maxAge(Duration.ofDays(7))
          .build());
      conn.jetStreamManagement().addOrUpdateConsumer(advisoryStream, ConsumerConfiguration.builder()
          .durable(DURABLE).ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofSeconds(30)).build());
      this.sub = conn.jetStream().subscribe(null, PullSubscribeOptions.bind(advisoryStream, DURABLE));
    } catch (IOException | JetStreamApiException e) {
      throw Nats.failure("set up the max-deliveries backstop of " + stream + "/" + consumer, e);
    }
    thread = new Thread(this::run, "dlq-backstop-" + stream + "-" + consumer);
    thread.setDaemon(true);
    thread.start();
  }

  static String advisorySubject(String stream, String consumer) {
    return "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + stream + "." + consumer;
  }

  static String advisoryStream(String stream, String consumer) {
    return "DLQ_MAXDELIVER_" + Nats.name(stream) + "_" + Nats.name(consumer);
  }

  /** Advisories handled so far (tests, logs). */
  public long handled() {
    return handled.get();
  }

  private void run() {
    while (running) {
      try {
        List<io.nats.client.Message> batch = sub.fetch(16, Duration.ofSeconds(1));
        for (io.nats.client.Message advisory : batch) {
          try {
            handle(advisory.getData());
            advisory.ack();
            handled.incrementAndGet();
          } catch (RuntimeException e) {
            log.warn("backstop of {}/{} could not dead-letter an exhausted message; retrying in 5s", stream, consumer, e);
            advisory.nakWithDelay(Duration.ofSeconds(5));
          }
        }
      } catch (RuntimeException e) {
        if (running) {
          log.warn("backstop of {}/{}: fetch failed", stream, consumer, e);
          Loops.pause(1000);
        }
      }
    }
  }

  void handle(byte[] advisoryJson) {
    JsonObject a;
    try (JsonReader r = JSON.createReader(new ByteArrayInputStream(advisoryJson))) {
      a = r.readObject();
    }
    long seq = a.getJsonNumber("stream_seq").longValue();
    int deliveries = a.containsKey("deliveries") ? a.getInt("deliveries") : maxDeliver;
    MessageInfo mi;
    try {
      mi = conn.jetStreamManagement().getMessage(stream, seq);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
        log.info("message {} of {} ran out of deliveries but is no longer in the stream", seq, stream);
        return;
      }
      throw Nats.failure("read message " + seq + " of " + stream, e);
    } catch (IOException e) {
      throw Nats.failure("read message " + seq + " of " + stream, e);
    }
    Instant now = clock.instant();
    Message m = decoder.decode(mi.getSubject(), mi.getHeaders(), mi.getData(), stream, seq, deliveries,
        mi.getTime().toInstant()).message();
    String text = "delivered " + deliveries + " times (MaxDeliver " + maxDeliver + ") by consumer " + consumer
        + " without an outcome: its workers crashed or hung";
    List<Attempt> attempts = new ArrayList<>(history != null ? history.of(seq) : List.of());
    attempts.add(new Attempt(Math.max(1, deliveries), now, ErrorClass.SYSTEM_ERROR, "lease-expired", text, Duration.ZERO,
        DURABLE));
    DeadLetter dl = DeadLetter.builder(m)
        .errorClass(ErrorClass.SYSTEM_ERROR)
        .errorType("lease-expired")
        .errorMessage(text)
        .attempts(Math.max(1, deliveries))
        .maxAttempts(Math.max(1, Math.max(deliveries, maxDeliver)))
        .firstFailureAt(attempts.get(0).at())
        .lastFailureAt(now)
        .deadAt(now)
        .workerId(DURABLE)
        .reason(DeadLetterReason.LEASE_EXPIRED)
        .history(attempts)
        .build();
    dl = format.apply(dl);
    RecordResult r = sink instanceof JetStreamStore js ? js.record(dl, new Origin(stream, seq)) : sink.record(dl);
    if (history != null) {
      history.forget(seq);
    }
    observer.deadLettered(dl, r, Duration.ZERO);
    log.warn("dead-lettered message {} of {} ({}): {}", seq, stream, r, text);
  }

  @Override
  public void close() {
    running = false;
    Loops.stop(thread, 3000, sub, log, "the backstop");
  }
}
