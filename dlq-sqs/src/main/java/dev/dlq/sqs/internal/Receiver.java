package dev.dlq.sqs.internal;

import dev.dlq.DlqException;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/** The long-poll receive shared by the sources. Stateless. */
public final class Receiver {
  /** SQS: at most 10 messages per receive, at most 20 s of long poll. */
  public static final int MAX_RECEIVE = 10;
  public static final int MAX_WAIT_SECONDS = 20;
  private static final List<String> ALL = List.of("All");

  private Receiver() {}

  /** What a receive returned and when it was sent ({@link System#nanoTime()}). */
  public record Received(List<Message> messages, long sentAtNanos) {}

  /** SQS waits whole seconds: a wait is rounded up, so that a poll never gives up early for want of a second. */
  public static int waitSeconds(Duration wait) {
    long millis = wait.toMillis();
    return (int) Math.min(MAX_WAIT_SECONDS, (millis + 999) / 1000);
  }

  /**
   * Receives up to {@code min(max, 10)} messages with all message attributes, the receive count and
   * the sent time.
   *
   * @throws InterruptedException when the thread was interrupted (the SDK aborts the call)
   * @throws DlqException when SQS fails
   */
  public static Received receive(SqsClient client, String queueUrl, int max, Duration wait, int visibilitySeconds)
      throws InterruptedException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 but was " + max);
    }
    Args.notNegative(wait, "wait");
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
      return new Received(client.receiveMessage(request).messages(), sentAt);
    } catch (AbortedException e) {
      Thread.interrupted();
      throw interrupted(queueUrl, e);
    } catch (SdkException e) {
      if (Thread.interrupted()) {
        throw interrupted(queueUrl, e);
      }
      throw new DlqException("could not receive from " + queueUrl + ": " + e.getMessage(), e);
    }
  }

  private static InterruptedException interrupted(String queueUrl, Exception cause) {
    InterruptedException ie = new InterruptedException("receive from " + queueUrl + " interrupted");
    ie.initCause(cause);
    return ie;
  }
}
