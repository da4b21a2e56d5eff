package dev.dlq.bench.drain;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The SQS server both SQS contenders use in one run: {@code --sqs-endpoint}, else
 * {@code DLQ_BENCH_SQS_ENDPOINT}, else ElasticMQ started in this JVM on 127.0.0.1. Note that an
 * in-process ElasticMQ shares the JVM and the 2 cores with the contenders: both pay the same.
 */
public final class Sqs implements AutoCloseable {
  private final String endpoint;
  private final String where;
  private final SQSRestServer server;

  private Sqs(String endpoint, String where, SQSRestServer server) {
    this.endpoint = endpoint;
    this.where = where;
    this.server = server;
  }

  public static Sqs open(String explicitEndpoint) throws IOException {
    String given = explicitEndpoint != null ? explicitEndpoint : System.getenv("DLQ_BENCH_SQS_ENDPOINT");
    if (given != null && !given.isBlank()) {
      return new Sqs(given, "given: " + given, null);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
        .withServerAddress(new NodeAddress("http", "127.0.0.1", port, "")).start();
    server.waitUntilStarted();
    return new Sqs("http://127.0.0.1:" + port, "ElasticMQ in process on 127.0.0.1:" + port, server);
  }

  /** A new client (the caller closes it), on the same transport as dlq-sqs (URL connection). */
  public SqsClient client() {
    return SqsClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .endpointOverride(URI.create(endpoint))
        .build();
  }

  public String endpoint() {
    return endpoint;
  }

  public String describe() {
    return "SQS " + where;
  }

  /** A fresh queue with {@code n} messages {"n":i}, sent in batches of 10; returns its URL. */
  public static String queueWith(SqsClient sqs, String prefix, int n) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
    for (int i = 0; i < n; i += 10) {
      List<SendMessageBatchRequestEntry> batch = new ArrayList<>(10);
      for (int j = i; j < Math.min(n, i + 10); j++) {
        batch.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(j - i)).messageBody("{\"n\":" + j + "}").build());
      }
      sqs.sendMessageBatch(b -> b.queueUrl(url).entries(batch));
    }
    return url;
  }

  @Override
  public void close() {
    if (server != null) {
      server.stopAndWait();
    }
  }
}
