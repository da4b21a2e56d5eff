package dev.dlq.alerts;

import dev.dlq.DeadLetter;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.spi.Alert;
import dev.dlq.spi.Notifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** Test helpers: a clock the test moves, a notifier that records, dead letters. */
final class Fixtures {
  private Fixtures() {}

  static final class MovingClock extends Clock {
    private final AtomicReference<Instant> now;

    MovingClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  static final class Recorder implements Notifier {
    final List<Alert> alerts = new CopyOnWriteArrayList<>();

    @Override
    public void send(Alert alert) {
      alerts.add(alert);
    }
  }

  static DeadLetter dead(String id, String type, ErrorClass cls, String errorType, String errorMessage,
      Map<String, String> headers, String payload, Instant at) {
    Message m = new Message(id, type, payload.getBytes(StandardCharsets.UTF_8), headers,
        SourceRef.of("postgres", "orders"), 3, at.minusSeconds(60));
    return DeadLetter.builder(m).errorClass(cls).errorType(errorType).errorMessage(errorMessage).attempts(3)
        .maxAttempts(3).deadAt(at).workerId("w1").build();
  }
}
