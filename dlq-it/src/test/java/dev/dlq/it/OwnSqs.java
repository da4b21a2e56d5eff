package dev.dlq.it;

import dev.dlq.sqs.SqsClients;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * ElasticMQ (an SQS server) started in this JVM on 127.0.0.1 and a port of the test's choosing, so a
 * test can name an endpoint before anything listens there. Not thread-safe.
 */
final class OwnSqs implements AutoCloseable {
  private final int port;
  private final SQSRestServer server;
  private final SqsClient client;

  private OwnSqs(int port) {
    this.port = port;
    this.server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
        .withServerAddress(new NodeAddress("http", "127.0.0.1", port, "")).start();
    server.waitUntilStarted();
    this.client = client(endpoint(port));
  }

  static OwnSqs start(int port) {
    return new OwnSqs(port);
  }

  static String endpoint(int port) {
    return "http://127.0.0.1:" + port;
  }

  /** The URL ElasticMQ gives queue {@code name} on {@code port} (an SQS queue URL names its server). */
  static String queueUrl(int port, String name) {
    return endpoint(port) + "/000000000000/" + name;
  }

  static SqsClient client(String endpoint) {
    return SqsClients.create(endpoint, "us-east-1", "x", "x");
  }

  SqsClient client() {
    return client;
  }

  int port() {
    return port;
  }

  String createQueue(String name) {
    return client.createQueue(b -> b.queueName(name)).queueUrl();
  }

  @Override
  public void close() {
    client.close();
    server.stopAndWait();
  }
}
