package dev.dlq.bench.drain;

import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.Worker;
import dev.dlq.spi.DlqObserver;
import dev.dlq.nats.JetStreamDlq;
import dev.dlq.spi.Source;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * dlq on NATS JetStream: a {@link Worker} on a {@link JetStreamDlq} source (durable pull consumer,
 * explicit acks) with a no-op processor, the DLQ stream as its sink, on the same server as the raw
 * loop. The source pulls {@code batch} messages at a time ({@code pullBatch}) and the worker polls
 * at most that many (concurrency + prefetch): the size of the raw loop's pulls.
 */
public final class DlqNatsDrain implements Contender {
  private static final String DURABLE = "dlq";
  private final Nats nats;
  private final int batch;
  private final int concurrency;
  private Connection nc;
  private Nats.Stream stream;
  private JetStreamDlq dlq;

  public DlqNatsDrain(Nats nats, int batch, int concurrency) {
    this.nats = nats;
    this.batch = batch;
    this.concurrency = Math.min(concurrency, batch);
  }

  @Override
  public String name() {
    return "dlq JetStream worker, pull " + batch + ", concurrency " + concurrency;
  }

  @Override
  public void prepare(Work work) throws Exception {
    nc = nats.connect();
    stream = Nats.streamWith(nc, "benchdlq", work.n());
    dlq = JetStreamDlq.builder(stream.subjectPrefix()).connection(nc).build();
    dlq.store(); // creates the DLQ stream, its bucket and audit stream before the clock starts
  }

  @Override
  public Result drain(Work work) throws Exception {
    AtomicLong completed = new AtomicLong();
    DlqObserver counts = new DlqObserver() {
      @Override
      public void succeeded(Message message, Duration took) {
        completed.incrementAndGet();
      }
    };
    long took;
    try (Source source = dlq.source(stream.name(), DURABLE).pullBatch(batch).build()) {
      Worker worker = Worker.builder(source, m -> Outcome.success())
          .sink(dlq.store())
          .concurrency(concurrency)
          .prefetch(batch - concurrency)
          .observer(counts)
          .build();
      long t0 = System.nanoTime();
      worker.start();
      try {
        Contender.await(() -> completed.get() >= work.n(), work.timeout(), 1, name());
        took = System.nanoTime() - t0;
        work.drained();
      } finally {
        worker.close();
      }
    }
    return new Result(completed.get(), 0, completed.get(), Nats.left(nc, stream, DURABLE, Duration.ofSeconds(5)), took);
  }

  @Override
  public void close() throws Exception {
    if (nc != null) {
      if (dlq != null) {
        String s = dlq.dlqStream();
        dlq.close();
        for (String name : new String[] {s, s + "_AUDIT", "KV_" + s + "_STATE"}) {
          Nats.delete(nc, new Nats.Stream(name, ""));
        }
      }
      Nats.delete(nc, stream);
      nc.close();
    }
  }
}
