package dev.dlq.sqs.it;

import static org.assertj.core.api.Assertions.fail;

import dev.dlq.sqs.SqsClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SQS server of the integration tests: {@code DLQ_IT_SQS_ENDPOINT} when set, otherwise ElasticMQ
 * started in this JVM on 127.0.0.1 and a free port, once for all test classes. Unavailable: the
 * tests are skipped, except under CI=true, where they fail.
 */
public final class SqsServer {
  private static String endpoint;
  private static SqsClient client;
  private static SQSRestServer server;

  private SqsServer() {}

  public static synchronized String endpoint() {
    if (endpoint == null) {
      String given = System.getenv("DLQ_IT_SQS_ENDPOINT");
      try {
        endpoint = given != null && !given.isBlank() ? given : startElasticMq();
      } catch (RuntimeException | IOException e) {
        unavailable("could not start ElasticMQ in-process: " + e);
      }
    }
    return endpoint;
  }

  public static synchronized SqsClient client() {
    if (client == null) {
      client = newClient();
    }
    return client;
  }

  /** A client of its own (close it). */
  public static SqsClient newClient() {
    return SqsClients.create(endpoint(), "us-east-1", "x", "x");
  }

  private static String startElasticMq() throws IOException {
    RuntimeException last = null;
    for (int i = 0; i < 5; i++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        port = s.getLocalPort();
      }
      try {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
            .withServerAddress(new NodeAddress("http", "127.0.0.1", port, "")).start();
        server.waitUntilStarted();
        // no stop hook: the test JVM exits with it (stopping it from a hook races Pekko's own hook and hangs)
        return "http://127.0.0.1:" + port;
      } catch (RuntimeException e) {
        last = e; // the port was taken between our probe and the bind: try another
      }
    }
    throw last;
  }

  static void unavailable(String why) {
    if ("true".equals(System.getenv("CI"))) {
      fail("SQS server unavailable under CI=true: " + why);
    }
    Assumptions.assumeTrue(false, "SQS server unavailable: " + why);
  }

  /** A new standard queue with a unique name; returns its URL. */
  public static String queue(String prefix) {
    return queue(prefix, Map.of());
  }

  public static String queue(String prefix, Map<QueueAttributeName, String> attributes) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    return client().createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
  }

  /** A new FIFO queue (content-based deduplication off); returns its URL. */
  public static String fifoQueue(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".fifo";
    Map<QueueAttributeName, String> attrs = new HashMap<>();
    attrs.put(QueueAttributeName.FIFO_QUEUE, "true");
    return client().createQueue(b -> b.queueName(name).attributes(attrs)).queueUrl();
  }

  /** Everything in {@code queueUrl} now (received, then made visible again), waiting up to {@code patience} for {@code atLeast}. */
  public static List<Message> peek(String queueUrl, int atLeast, Duration patience) {
    Map<String, Message> seen = new java.util.LinkedHashMap<>();
    long deadline = System.nanoTime() + patience.toNanos();
    do {
      List<Message> got = client().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
          .visibilityTimeout(30).messageAttributeNames("All")
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
      got.forEach(m -> seen.putIfAbsent(m.messageId(), m));
      if (got.isEmpty() && seen.size() >= atLeast) {
        break;
      }
    } while (System.nanoTime() < deadline);
    for (Message m : seen.values()) {
      try {
        client().changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
      } catch (RuntimeException e) {
        // already visible again or deleted: nothing to hand back
      }
    }
    return List.copyOf(seen.values());
  }

  /** The approximate number of visible plus in-flight messages of {@code queueUrl}. */
  public static int depth(String queueUrl) {
    Map<QueueAttributeName, String> a = client().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
  }
}
