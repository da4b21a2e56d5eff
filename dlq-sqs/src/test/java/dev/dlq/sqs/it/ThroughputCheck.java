package dev.dlq.sqs.it;

import dev.dlq.InMemory;
import dev.dlq.Outcome;
import dev.dlq.Worker;
import dev.dlq.sqs.SqsSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * A rough side-by-side for tuning while developing (not a test and not the project's benchmark,
 * which lives in dlq-bench): a raw SDK receive/delete loop against a worker on {@link SqsSource},
 * same server, batches of 10. Run: {@code java -cp <test classpath> dev.dlq.sqs.it.ThroughputCheck [n] [concurrency] [settleConcurrency] [SYNC|ASYNC]}.
 */
public final class ThroughputCheck {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int settle = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    SqsSource.Completion completion = args.length > 3 ? SqsSource.Completion.valueOf(args[3]) : SqsSource.Completion.SYNC;
    SqsClient sqs = SqsServer.client();
    for (int round = 0; round < 2; round++) {
      String q1 = SqsServer.queue("raw");
      fill(sqs, q1, n);
      long t0 = System.nanoTime();
      int done = 0;
      while (done < n) {
        List<Message> got = sqs.receiveMessage(b -> b.queueUrl(q1).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        if (got.isEmpty()) {
          continue;
        }
        List<DeleteMessageBatchRequestEntry> del = new ArrayList<>();
        for (int i = 0; i < got.size(); i++) {
          del.add(DeleteMessageBatchRequestEntry.builder().id("" + i).receiptHandle(got.get(i).receiptHandle()).build());
        }
        sqs.deleteMessageBatch(b -> b.queueUrl(q1).entries(del));
        done += got.size();
      }
      double raw = n / ((System.nanoTime() - t0) / 1e9);

      String q2 = SqsServer.queue("worker");
      fill(sqs, q2, n);
      AtomicInteger count = new AtomicInteger();
      SqsSource source = SqsSource.builder(sqs, q2).settleConcurrency(settle).completion(completion).build();
      long t1 = System.nanoTime();
      dev.dlq.contract.CountingObserver counts = new dev.dlq.contract.CountingObserver();
      try (Worker w = Worker.builder(source, m -> {
        count.incrementAndGet();
        return Outcome.success();
      }).sink(InMemory.create().store()).observer(counts).concurrency(concurrency).prefetch(concurrency).build()) {
        w.start();
        while (counts.messages("success") < n) {
          Thread.sleep(2);
        }
      }
      source.close();
      double worker = n / ((System.nanoTime() - t1) / 1e9);
      System.out.printf("round %d: raw %.0f msg/s, worker %.0f msg/s (%.0f%%), concurrency %d, settle %d, %s%n", round,
          raw, worker, 100 * worker / raw, concurrency, settle, completion);
    }
    System.exit(0);
  }

  static void fill(SqsClient sqs, String q, int n) {
    for (int i = 0; i < n; i += 10) {
      List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
      for (int j = 0; j < 10 && i + j < n; j++) {
        batch.add(SendMessageBatchRequestEntry.builder().id("" + j).messageBody("m" + (i + j)).build());
      }
      sqs.sendMessageBatch(b -> b.queueUrl(q).entries(batch));
    }
  }
}
