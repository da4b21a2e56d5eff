package dev.dlq.sqs.internal;

import dev.dlq.spi.Checks;
import dev.dlq.DlqException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * The long-poll receive of one queue. The call runs on a thread of its own: interrupting the
 * polling thread (a worker stopping) must not abort a receive whose messages SQS already made
 * invisible, or they would be lost to everyone until their visibility ends. The interrupted poll
 * waits for the call instead, hands what it brought back at once, and then throws. Thread-safe.
 */
public final class Receiver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Receiver.class);
  /** SQS: at most 10 messages per receive, at most 20 s of long poll. */
  public static final int MAX_RECEIVE = 10;
  public static final int MAX_WAIT_SECONDS = 20;
  private static final List<String> ALL = List.of("All");

  private final SqsClient client;
  private final String queueUrl;
  private final ExecutorService caller;

  public Receiver(SqsClient client, String queueUrl, String name) {
    this.client = client;
    this.queueUrl = queueUrl;
    this.caller = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "dlq-sqs-receive-" + name);
      t.setDaemon(true);
      return t;
    });
  }

  /** What a receive returned and when it was sent ({@link System#nanoTime()}). */
  public record Received(List<Message> messages, long sentAtNanos) {}

  /** A receive sent and not yet collected: how many it asked for, when it was sent, its call. */
  public record Pending(int ask, long sentAtNanos, CompletableFuture<List<Message>> call) {}

  /** SQS waits whole seconds: a wait is rounded up, so that a poll never gives up early for want of a second. */
  public static int waitSeconds(Duration wait) {
    long millis = wait.toMillis();
    return (int) Math.min(MAX_WAIT_SECONDS, (millis + 999) / 1000);
  }

  /**
   * Receives up to {@code min(max, 10)} messages with all message attributes, the receive count and
   * the sent time.
   *
   * @throws InterruptedException when the polling thread was interrupted; what the call brought is handed back
   * @throws DlqException when SQS fails
   */
  public Received receive(int max, Duration wait, int visibilitySeconds) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("poll of " + queueUrl + " interrupted before its receive");
    }
    Pending p = start(max, wait, visibilitySeconds);
    try {
      return new Received(p.call().get(), p.sentAtNanos());
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    } catch (InterruptedException e) {
      handBack(p.call());
      throw e;
    }
  }

  /**
   * Sends a receive of up to {@code min(max, 10)} messages on the receive thread and returns at once;
   * whoever started it collects it ({@link #collect}) or hands it back ({@link #handBack}).
   *
   * @throws IllegalStateException when this receiver is closed
   */
  public Pending start(int max, Duration wait, int visibilitySeconds) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 but was " + max);
    }
    Checks.notNegative(wait, "wait");
    ReceiveMessageRequest request = ReceiveMessageRequest.builder()
        .queueUrl(queueUrl)
        .maxNumberOfMessages(Math.min(MAX_RECEIVE, max))
        .waitTimeSeconds(waitSeconds(wait))
        .visibilityTimeout(visibilitySeconds)
        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
            MessageSystemAttributeName.SENT_TIMESTAMP)
        .messageAttributeNames(ALL)
        .build();
    // the visibility clock started no earlier than our request: count from here to stay on the safe side
    long sentAt = System.nanoTime();
    try {
      return new Pending(Math.min(MAX_RECEIVE, max), sentAt,
          CompletableFuture.supplyAsync(() -> client.receiveMessage(request).messages(), caller));
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("the source of " + queueUrl + " is closed", e);
    }
  }

  /**
   * What a completed receive brought.
   *
   * @throws DlqException when SQS failed it
   */
  public Received collect(Pending p) {
    try {
      return new Received(p.call().getNow(null), p.sentAtNanos());
    } catch (CompletionException e) {
      throw failure(e.getCause());
    } catch (java.util.concurrent.CancellationException e) {
      return new Received(List.of(), p.sentAtNanos());
    }
  }

  RuntimeException failure(Throwable cause) {
    if (cause instanceof software.amazon.awssdk.core.exception.SdkClientException s) {
      // no answer from SQS (network, endpoint): the service is unavailable, not the request wrong
      return new dev.dlq.StoreUnavailableException("sqs", "could not receive from " + queueUrl + ": " + s.getMessage(), s);
    }
    if (cause instanceof SdkException s) {
      return new DlqException("could not receive from " + queueUrl + ": " + s.getMessage(), s);
    }
    if (cause instanceof RuntimeException r) {
      return r;
    }
    return new DlqException("could not receive from " + queueUrl + ": " + cause, cause);
  }

  /** Waits for a receive nobody will hand out (an interrupted poll, a closing source) and makes what it brought visible again at once. */
  public void handBack(Future<List<Message>> call) {
    List<Message> got;
    boolean interrupted = false;
    while (true) {
      try {
        got = call.get();
        break;
      } catch (InterruptedException again) {
        interrupted = true;
      } catch (ExecutionException failed) {
        return; // nothing was received
      }
    }
    try {
      release(got);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void release(List<Message> got) {
    if (got.isEmpty()) {
      return;
    }
    List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(got.size());
    for (int i = 0; i < got.size(); i++) {
      entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
          .receiptHandle(got.get(i).receiptHandle()).visibilityTimeout(0).build());
    }
    try {
      client.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries));
    } catch (SdkException e) {
      log.warn("poll of {} was interrupted and {} received message(s) could not be handed back; they return when"
          + " their visibility ends", queueUrl, got.size(), e);
    }
  }

  /** Stops the receive thread (a call in flight finishes on its own). */
  @Override
  public void close() {
    caller.shutdown();
  }
}
