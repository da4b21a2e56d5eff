package dev.dlq.sqs.internal;

import dev.dlq.DlqException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

/**
 * Deletes sent after the caller moved on ({@link dev.dlq.sqs.SqsSource.Completion#ASYNC}): handles
 * queue up and {@code senders} threads send them in DeleteMessageBatch calls of up to 10, waiting at
 * most {@code linger} for a batch to fill. A delete that fails is logged: its message comes back
 * when its visibility ends and is processed again (at-least-once). {@link #close()} sends what is
 * queued. Thread-safe.
 */
final class AsyncDeletes implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AsyncDeletes.class);
  private static final String STOP = "\u0000stop";

  private final SqsClient client;
  private final String queueUrl;
  private final long lingerNanos;
  private final BlockingQueue<String> handles = new LinkedBlockingQueue<>();
  private final List<Thread> senders = new ArrayList<>();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean closed;

  AsyncDeletes(SqsClient client, String queueUrl, String name, int senders, Duration linger) {
    this.client = client;
    this.queueUrl = queueUrl;
    this.lingerNanos = linger.toNanos();
    for (int i = 0; i < senders; i++) {
      Thread t = new Thread(this::run, "dlq-sqs-delete-" + name + "-" + (i + 1));
      t.setDaemon(true);
      this.senders.add(t);
      t.start();
    }
  }

  void delete(String receiptHandle) {
    if (closed) {
      throw new IllegalStateException("cannot delete from " + queueUrl + ": the source is closed");
    }
    handles.add(receiptHandle);
  }

  long failed() {
    return failed.get();
  }

  private void run() {
    List<String> batch = new ArrayList<>(10);
    try {
      while (true) {
        String first = handles.take();
        if (first == STOP) {
          return;
        }
        batch.add(first);
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.size() < Receiver.MAX_RECEIVE) {
          long left = deadline - System.nanoTime();
          String next = left > 0 ? handles.poll(left, TimeUnit.NANOSECONDS) : handles.poll();
          if (next == null) {
            break;
          }
          if (next == STOP) {
            handles.add(STOP); // for this thread's next turn, after this batch
            break;
          }
          batch.add(next);
        }
        send(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(List<String> batch) {
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(batch.get(i)).build());
    }
    try {
      int n = client.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).failed().size();
      if (n > 0) {
        failed.addAndGet(n);
        log.warn("{} of {} deletes from {} failed; those messages come back and are processed again", n, batch.size(),
            queueUrl);
      }
    } catch (SdkException | DlqException e) {
      failed.addAndGet(batch.size());
      log.warn("{} deletes from {} failed; those messages come back and are processed again", batch.size(), queueUrl, e);
    }
  }

  /** Sends what is queued, then stops the senders (waits up to 30 s). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = 0; i < senders.size(); i++) {
      handles.add(STOP);
    }
    for (Thread t : senders) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
