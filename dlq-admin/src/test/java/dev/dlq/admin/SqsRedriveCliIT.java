package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.sqs.SqsClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@code dlq sqs redrive} against ElasticMQ started in this JVM on 127.0.0.1. */
class SqsRedriveCliIT {
  private static final Map<String, String> ENV = Map.of("AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "x",
      "AWS_REGION", "us-east-1");
  private static String endpoint;
  private static SqsClient sqs;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  @BeforeAll
  static void elasticMq() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
        .withServerAddress(new NodeAddress("http", "127.0.0.1", port, "")).start().waitUntilStarted();
    // no stop hook: the test JVM exits with it (stopping it from a hook races Pekko's own hook and hangs)
    endpoint = "http://127.0.0.1:" + port;
    sqs = SqsClients.create(endpoint, "us-east-1", "x", "x");
  }

  private static String queue(String name) {
    return sqs.createQueue(b -> b.queueName(name + UUID.randomUUID().toString().substring(0, 8))).queueUrl();
  }

  private static int depth(String url) {
    return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(url)
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  private int dlq(String... args) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        ENV);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void countsFirstThenMovesWhatMatchesBackToTheTarget() {
    String work = queue("work");
    String dead = queue("dead");
    for (int i = 0; i < 3; i++) {
      int n = i;
      sqs.sendMessage(b -> b.queueUrl(dead).messageBody("{\"n\":" + n + "}"));
    }
    assertThat(dlq("sqs", "redrive", "--endpoint", endpoint, "--dlq-url", dead, "--target", work, "--hold", "5"))
        .as(err.toString()).isZero();
    assertThat(out()).contains("would move 3 of 3 messages; add --yes");
    assertThat(depth(work)).isZero();

    assertThat(dlq("sqs", "redrive", "--endpoint", endpoint, "--dlq-url", dead, "--target", work, "--hold", "5",
        "--rate", "100", "--yes")).as(err.toString()).isZero();
    assertThat(out()).contains("moved 3 of 3 matched");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("redriving [" + "#".repeat(30) + "] 3/3 100%");
    assertThat(depth(work)).isEqualTo(3);
    assertThat(depth(dead)).isZero();
  }

  @Test
  void anIdThatIsNotThereIsExitThreeAndMovesNothing() {
    String work = queue("work");
    String dead = queue("dead");
    sqs.sendMessage(b -> b.queueUrl(dead).messageBody("x"));
    assertThat(dlq("sqs", "redrive", "--endpoint", endpoint, "--dlq-url", dead, "--target", work, "--hold", "5",
        "--id", "no-such-id")).isEqualTo(Exit.NOT_FOUND);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("not in the dead-letter queue; nothing was moved");
    assertThat(depth(work)).isZero();
  }

  @Test
  void badUsageIsExitTwo() {
    assertThat(dlq("sqs", "redrive")).isEqualTo(Exit.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--dlq-url");
    assertThat(dlq("sqs", "redrive", "--dlq-url", "x", "--rate", "fast")).isEqualTo(Exit.USAGE);
    assertThat(dlq("sqs")).isEqualTo(Exit.USAGE);
  }
}
