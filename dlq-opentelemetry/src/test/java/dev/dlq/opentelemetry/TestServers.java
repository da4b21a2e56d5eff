package dev.dlq.opentelemetry;

import static org.assertj.core.api.Assertions.fail;

import dev.dlq.sqs.SqsClients;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The servers of the ITs: ElasticMQ started once in this JVM on 127.0.0.1 and a free port (or
 * {@code DLQ_IT_SQS_ENDPOINT}); the NATS JetStream server at {@code DLQ_IT_NATS_URL}, else
 * 127.0.0.1:4222. One that cannot be had skips the test, except under CI=true, where it fails.
 */
final class TestServers {
  private static SqsClient sqs;

  private TestServers() {}

  static synchronized SqsClient sqs() {
    if (sqs == null) {
      String given = System.getenv("DLQ_IT_SQS_ENDPOINT");
      try {
        sqs = SqsClients.create(given != null && !given.isBlank() ? given : startElasticMq(), "us-east-1", "x", "x");
      } catch (IOException | RuntimeException e) {
        unavailable("could not start ElasticMQ: " + e);
      }
    }
    return sqs;
  }

  static Connection nats() throws InterruptedException {
    String given = System.getenv("DLQ_IT_NATS_URL");
    String url = given != null && !given.isBlank() ? given : "nats://127.0.0.1:4222";
    try {
      Connection c = Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(2))
          .maxReconnects(0).build());
      c.jetStreamManagement().getAccountStatistics();
      return c;
    } catch (IOException | io.nats.client.JetStreamApiException | RuntimeException e) {
      unavailable("no NATS JetStream server at " + url + ": " + e);
      return null;
    }
  }

  private static String startElasticMq() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    // no stop hook: the test JVM exits with it (dlq-sqs's SqsServer explains why)
    SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
        .withServerAddress(new NodeAddress("http", "127.0.0.1", port, "")).start().waitUntilStarted();
    return "http://127.0.0.1:" + port;
  }

  private static void unavailable(String why) {
    if ("true".equals(System.getenv("CI"))) {
      fail(why + " (CI=true: integration tests must not be skipped)");
    }
    Assumptions.assumeTrue(false, why);
  }
}
