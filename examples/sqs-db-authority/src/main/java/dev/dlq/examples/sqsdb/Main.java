package dev.dlq.examples.sqsdb;

import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.sqs.SqsClients;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs seed 000 end to end: ElasticMQ in this JVM for SQS; PostgreSQL on 127.0.0.1:5432 (or the
 * JDBC URL given as the first argument), else an embedded one. Prints each task's state, what reached
 * the dead-letter queue and the dead-lettered counter.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    String endpoint = startSqs();
    SqsClient sqs = SqsClients.create(endpoint, "us-east-1", "x", "x");
    String queue = sqs.createQueue(b -> b.queueName("reports")).queueUrl();
    String dlq = sqs.createQueue(b -> b.queueName("reports-dlq")).queueUrl();
    DataSource db = args.length > 0 ? dataSource(args[0]) : localOrEmbedded();
    String schema = "example_sqs_db_authority";
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"); // the previous run's data
    }
    DlqMetrics metrics = DlqMetrics.create();
    Scenario.Result r;
    try (ReportService service = ReportService.start(db, schema, sqs, queue, dlq, metrics)) {
      r = Scenario.run(service, db, schema, sqs, queue, dlq, metrics, Duration.ofSeconds(60));
    }
    System.out.println("tasks in PostgreSQL:");
    r.states().forEach((id, state) -> System.out.printf("  %-10s %s%n", id, state));
    System.out.println("dead-task events in the SQS DLQ: " + r.dlqTaskIds());
    System.out.println("dlq_dead_lettered_total: " + r.deadLetteredCounter());
    System.out.println("messages still in the work queue (the unknown task id, kept for SQS to redeliver): "
        + r.messagesLeft());
    System.exit(0); // ElasticMQ's threads would keep the JVM alive
  }

  private static String startSqs() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
        .withServerAddress(new NodeAddress("http", "127.0.0.1", port, "")).start();
    server.waitUntilStarted();
    return "http://127.0.0.1:" + port;
  }

  private static DataSource dataSource(String url) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    if (ds.getUser() == null) {
      ds.setUser("postgres");
    }
    return ds;
  }

  private static DataSource localOrEmbedded() throws IOException {
    DataSource local = dataSource("jdbc:postgresql://127.0.0.1:5432/postgres");
    try (Connection c = local.getConnection()) {
      return local;
    } catch (SQLException e) {
      System.out.println("no PostgreSQL on 127.0.0.1:5432; starting an embedded one");
      return EmbeddedPostgres.builder().start().getPostgresDatabase();
    }
  }
}
