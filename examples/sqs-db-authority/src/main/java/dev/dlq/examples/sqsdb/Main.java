package dev.dlq.examples.sqsdb;

import dev.dlq.examples.support.ExamplePostgres;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.sqs.SqsClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import javax.sql.DataSource;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs seed 000 end to end: ElasticMQ in this JVM for SQS; PostgreSQL on 127.0.0.1:5432 (or the
 * JDBC URL given as the first argument), else an embedded one. Prints each task's state, what reached
 * the dead-letter queue and the dead-lettered counter.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    String schema = "example_sqs_db_authority";
    DataSource db = ExamplePostgres.forExample(args, schema).dataSource();
    SqsClient sqs = SqsClients.create(startSqs(), "us-east-1", "x", "x");
    String queue = sqs.createQueue(b -> b.queueName("reports")).queueUrl();
    String dlq = sqs.createQueue(b -> b.queueName("reports-dlq")).queueUrl();
    DlqMetrics metrics = DlqMetrics.create();
    Scenario.Result r;
    try (ReportService service = ReportService.start(db, schema, sqs, queue, dlq, metrics)) {
      r = Scenario.run(service, sqs, queue, dlq, metrics);
    }
    System.out.println("tasks in PostgreSQL:");
    r.states().forEach((id, state) -> System.out.printf("  %-10s %s%n", id, state));
    System.out.println("dead-task events in the SQS DLQ: " + r.dlqTaskIds());
    System.out.println("dlq_dead_lettered_total: " + r.deadLetteredCounter());
    System.out.println("messages still in the work queue (the unknown task id, kept for SQS to redeliver): "
        + r.messagesLeft());
    System.exit(0); // ElasticMQ's threads would keep the JVM alive
  }

  /** Starts ElasticMQ, an SQS server, on a free loopback port; returns its endpoint. */
  static String startSqs() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
        .withServerAddress(new NodeAddress("http", "127.0.0.1", port, "")).start().waitUntilStarted();
    return "http://127.0.0.1:" + port;
  }
}
