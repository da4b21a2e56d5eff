package dev.dlq.nats.internal;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Delivery;
import io.nats.client.impl.NatsJetStreamMetaData;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One JetStream message: complete = ack, retry = nak with the delay, dead-letter = record (in the DLQ
 * stream with the original stream and sequence when the sink is a JetStream one), then term, release
 * = nak at once (JetStream counts that delivery: the attempt is spent), lease extension = in-progress
 * ack. Decoding happens on first use, on the processing thread.
 */
final class JetStreamDelivery implements Delivery {
  private final JetStreamSource source;
  private final io.nats.client.Message raw;
  private volatile MessageDecoder.Decoded decoded;
  private long seq;

  JetStreamDelivery(JetStreamSource source, io.nats.client.Message raw) {
    this.source = source;
    this.raw = raw;
  }

  private MessageDecoder.Decoded decoded() {
    MessageDecoder.Decoded d = decoded;
    if (d == null) {
      synchronized (this) {
        d = decoded;
        if (d == null) {
          NatsJetStreamMetaData meta = raw.metaData();
          seq = meta.streamSequence();
          d = source.decoder.decode(raw.getSubject(), raw.getHeaders(), raw.getData(), meta.getStream(), seq,
              (int) Math.min(Integer.MAX_VALUE, meta.deliveredCount()), meta.timestamp().toInstant());
          decoded = d;
        }
      }
    }
    return d;
  }

  @Override
  public Message message() {
    return decoded().message();
  }

  @Override
  public Optional<Throwable> decodeFailure() {
    return Optional.ofNullable(decoded().failure());
  }

  @Override
  public List<Attempt> history() {
    decoded();
    return source.history.of(seq);
  }

  @Override
  public java.util.concurrent.CompletionStage<RecordResult> settle(dev.dlq.spi.Settlement settlement) {
    RecordResult r = null;
    if (settlement instanceof dev.dlq.spi.Settlement.Complete) {
      raw.ack();
      forget();
    } else if (settlement instanceof dev.dlq.spi.Settlement.Retry retry) {
      retry(retry.delay(), retry.failed());
    } else if (settlement instanceof dev.dlq.spi.Settlement.Dead dead) {
      r = deadLetter(dead.deadLetter(), source.sink());
    } else if (settlement instanceof dev.dlq.spi.Settlement.Release release) {
      if (release.delay().isZero()) {
        raw.nak();
      } else {
        raw.nakWithDelay(release.delay());
      }
    }
    return java.util.concurrent.CompletableFuture.completedFuture(r);
  }

  private void retry(Duration delay, Attempt failed) {
    decoded();
    source.history.add(seq, failed);
    if (delay.isZero()) {
      raw.nak();
    } else {
      raw.nakWithDelay(delay);
    }
  }

  private RecordResult deadLetter(DeadLetter deadLetter, DeadLetterSink sink) {
    decoded();
    RecordResult r = sink instanceof JetStreamStore js
        ? js.record(deadLetter, new Origin(source.stream(), seq))
        : sink.record(deadLetter);
    raw.term();
    forget();
    return r;
  }

  @Override
  public void extendLease(Duration extension) {
    raw.inProgress();
  }

  private void forget() {
    MessageDecoder.Decoded d = decoded;
    if (d != null && d.message().attempt() > 1) {
      source.history.forget(seq);
    }
  }
}
