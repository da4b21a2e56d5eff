package dev.dlq.sqs.internal;

import dev.dlq.DlqException;
import dev.dlq.SourceRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/** The receiving side of {@link dev.dlq.sqs.SqsSource}: long-poll receive and the deliveries it hands out. Thread-safe. */
public final class Consumer {
  private static final Logger log = LoggerFactory.getLogger(Consumer.class);
  /** SQS: at most 10 messages per receive, at most 20 s of long poll. */
  public static final int MAX_RECEIVE = 10;
  public static final int MAX_WAIT_SECONDS = 20;
  private static final List<String> ALL_ATTRIBUTES = List.of("All");

  final SqsClient client;
  final String queueUrl;
  final SourceRef ref;
  final QueueOps ops;
  final Histories histories = new Histories(10_000);
  final Clock clock;
  private final String name;
  private final String defaultType;
  private final Duration lease;
  private final int leaseSeconds;
  private final AutoCloseable onClose;
  private final Set<SqsDelivery> outstanding = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public Consumer(SqsClient client, String queueUrl, String name, String defaultType, Duration lease,
      int settleConcurrency, Clock clock, AutoCloseable onClose) {
    this.client = client;
    this.queueUrl = queueUrl;
    this.name = name;
    this.ref = SourceRef.of("sqs", queueUrl);
    this.defaultType = defaultType;
    this.lease = lease;
    this.leaseSeconds = (int) lease.toSeconds();
    this.ops = new QueueOps(client, queueUrl, settleConcurrency);
    this.clock = clock;
    this.onClose = onClose;
  }

  public String name() {
    return name;
  }

  public Duration lease() {
    return lease;
  }

  /** SQS waits whole seconds: a wait is rounded up, so that a poll never returns early for want of a second. */
  static int waitSeconds(Duration wait) {
    long millis = wait.toMillis();
    return (int) Math.min(MAX_WAIT_SECONDS, (millis + 999) / 1000);
  }

  public List<SqsDelivery> poll(int max, Duration wait) throws InterruptedException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 but was " + max);
    }
    Args.notNegative(wait, "wait");
    if (closed) {
      throw new IllegalStateException("source " + name + " is closed");
    }
    ReceiveMessageRequest request = ReceiveMessageRequest.builder()
        .queueUrl(queueUrl)
        .maxNumberOfMessages(Math.min(MAX_RECEIVE, max))
        .waitTimeSeconds(waitSeconds(wait))
        .visibilityTimeout(leaseSeconds)
        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
            MessageSystemAttributeName.SENT_TIMESTAMP)
        .messageAttributeNames(ALL_ATTRIBUTES)
        .build();
    // the visibility clock started no earlier than our request: count from here to stay on the safe side
    long sentAt = System.nanoTime();
    ReceiveMessageResponse response;
    try {
      response = client.receiveMessage(request);
    } catch (AbortedException e) {
      Thread.interrupted();
      throw interrupted(e);
    } catch (SdkException e) {
      if (Thread.interrupted()) {
        throw interrupted(e);
      }
      throw new DlqException("could not receive from " + queueUrl + ": " + e.getMessage(), e);
    }
    List<Message> messages = response.messages();
    if (messages.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    List<SqsDelivery> out = new ArrayList<>(messages.size());
    for (Message m : messages) {
      Envelope.Decoded d = Envelope.decode(m, ref, defaultType, now);
      SqsDelivery delivery = new SqsDelivery(this, m.receiptHandle(), d.message(), d.failure(), sentAt,
          sentAt + lease.toNanos());
      outstanding.add(delivery);
      out.add(delivery);
    }
    return out;
  }

  private InterruptedException interrupted(Exception cause) {
    InterruptedException ie = new InterruptedException("receive from " + queueUrl + " interrupted");
    ie.initCause(cause);
    return ie;
  }

  void settled(SqsDelivery d) {
    outstanding.remove(d);
  }

  /** Hands back what was received and not settled (visibility 0), then closes the client if it is ours. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (SqsDelivery d : outstanding) {
      try {
        d.releaseIfUnsettled();
      } catch (RuntimeException e) {
        log.warn("could not hand back message {} to {} on close; it returns when its visibility ends",
            d.message().id(), queueUrl, e);
      }
    }
    if (onClose != null) {
      try {
        onClose.close();
      } catch (Exception e) {
        log.warn("closing the SQS client of {} failed", name, e);
      }
    }
  }
}
