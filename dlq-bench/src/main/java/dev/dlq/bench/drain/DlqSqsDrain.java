package dev.dlq.bench.drain;

import dev.dlq.InMemory;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.Worker;
import dev.dlq.spi.DlqObserver;
import dev.dlq.sqs.SqsSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * dlq on SQS: a {@link Worker} on an {@link SqsSource} (long-poll receive of up to 10, envelope
 * decoding, group-commit batch deletes) with a no-op processor, on the same server as the raw loop.
 */
public final class DlqSqsDrain implements Contender {
  private final Sqs sqs;
  private final int concurrency;
  private SqsClient client;
  private String queueUrl;

  private final int receivers;

  /** @param receivers {@code SqsSource.Builder.receiveConcurrency}: receives in flight at once */
  public DlqSqsDrain(Sqs sqs, int concurrency, int receivers) {
    this.sqs = sqs;
    this.concurrency = concurrency;
    this.receivers = receivers;
  }

  @Override
  public String name() {
    return "dlq SqsSource worker, " + receivers + " receives of 10, concurrency " + concurrency;
  }

  @Override
  public void prepare(Work work) {
    client = sqs.client();
    queueUrl = Sqs.queueWith(client, "dlq", work.n());
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
    try (SqsSource source = SqsSource.builder(client, queueUrl).receiveConcurrency(receivers).build()) {
      Worker worker = Worker.builder(source, m -> Outcome.success())
          .sink(InMemory.create().store()) // nothing fails here
          .concurrency(concurrency)
          .prefetch(concurrency)
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
    return new Result(completed.get(), 0, completed.get(), 0, took);
  }

  @Override
  public void close() {
    if (client != null) {
      try {
        client.deleteQueue(b -> b.queueUrl(queueUrl));
      } catch (RuntimeException e) {
        // the server is going away with the run anyway
      }
      client.close();
    }
  }
}
