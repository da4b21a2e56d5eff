package dev.dlq.bench.drain;

import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import java.time.Duration;
import java.util.Iterator;

/**
 * The NATS baseline: what one writes by hand with jnats. One loop pulls up to {@code batch}
 * messages from a durable pull consumer ({@code iterate}, which hands each message over as it
 * arrives) and acknowledges each with a plain ack, as dlq-nats does.
 */
public final class RawNatsDrain implements Contender {
  private static final String DURABLE = "raw";
  private final Nats nats;
  private final int batch;
  private Connection nc;
  private Nats.Stream stream;

  public RawNatsDrain(Nats nats, int batch) {
    this.nats = nats;
    this.batch = batch;
  }

  @Override
  public String name() {
    return "raw jnats pull " + batch + " + ack, 1 thread";
  }

  @Override
  public void prepare(Work work) throws Exception {
    nc = nats.connect();
    stream = Nats.streamWith(nc, "benchraw", work.n());
    Nats.addConsumer(nc, stream, DURABLE, Math.max(1000, batch * 2));
  }

  @Override
  public Result drain(Work work) throws Exception {
    JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.bind(stream.name(), DURABLE));
    long deadline = System.nanoTime() + work.timeout().toNanos();
    long t0 = System.nanoTime();
    long done = 0;
    while (done < work.n()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up after " + work.timeout() + " waiting for " + name());
      }
      Iterator<Message> it = sub.iterate(batch, Duration.ofSeconds(1));
      while (it.hasNext()) {
        it.next().ack();
        done++;
        if (done == work.n()) {
          break;
        }
      }
    }
    long took = System.nanoTime() - t0;
    work.drained();
    sub.unsubscribe();
    return new Result(done, 0, done, Nats.left(nc, stream, DURABLE, Duration.ofSeconds(5)), took);
  }

  @Override
  public void close() throws Exception {
    if (nc != null) {
      Nats.delete(nc, stream);
      nc.close();
    }
  }
}
