package dev.dlq.bench.drain;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The SQS baseline: what one writes by hand with the SDK. Each of {@code threads} loops receives up
 * to 10 messages (long poll of 1 s), then deletes them with one DeleteMessageBatch. No envelope
 * decoding, no attempts, no retries: the only work is receive and delete.
 */
public final class RawSqsDrain implements Contender {
  private final Sqs sqs;
  private final int threads;
  private SqsClient client;
  private String queueUrl;

  public RawSqsDrain(Sqs sqs, int threads) {
    this.sqs = sqs;
    this.threads = threads;
  }

  @Override
  public String name() {
    return "raw SDK receive 10 + delete batch, " + threads + " thread" + (threads == 1 ? "" : "s");
  }

  @Override
  public void prepare(Work work) {
    client = sqs.client();
    queueUrl = Sqs.queueWith(client, "raw", work.n());
  }

  @Override
  public Result drain(Work work) throws Exception {
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long t0 = System.nanoTime();
    long took;
    try {
      List<Future<?>> loops = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        loops.add(pool.submit(() -> {
          while (done.get() < work.n()) {
            List<Message> got = client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(1)).messages();
            if (got.isEmpty()) {
              continue;
            }
            List<DeleteMessageBatchRequestEntry> del = new ArrayList<>(got.size());
            for (int i = 0; i < got.size(); i++) {
              del.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                  .receiptHandle(got.get(i).receiptHandle()).build());
            }
            client.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(del));
            done.addAndGet(got.size());
          }
          return null;
        }));
      }
      // the clock stops at the last delete, not when the other loops' long polls return
      Contender.await(() -> done.get() >= work.n() || loops.stream().anyMatch(Future::isDone), work.timeout(), 1,
          name());
      took = System.nanoTime() - t0;
      work.drained();
      for (Future<?> f : loops) {
        if (f.isDone()) {
          f.get(); // rethrows what stopped a loop early
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return new Result(done.get(), 0, done.get(), 0, took);
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
