package dev.dlq.examples.sqsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterFilter;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.sqs.SqsClients;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Seed 000 against real servers: ElasticMQ in this JVM and the test PostgreSQL. */
class SqsDbAuthorityIT {
  @Test
  void everyCaseOfTheSeedEndsWhereTheSeedSays() throws Exception {
    SqsClient sqs = SqsClients.create(Main.startSqs(), "us-east-1", "x", "x");
    String queue = sqs.createQueue(b -> b.queueName("reports")).queueUrl();
    String dlq = sqs.createQueue(b -> b.queueName("reports-dlq")).queueUrl();
    TestDatabase db = TestDatabase.get();
    String schema = db.freshSchema("example_000");
    DlqMetrics metrics = DlqMetrics.create();

    Scenario.Result r;
    try (ReportService service = ReportService.start(db.dataSource(), schema, sqs, queue, dlq, metrics)) {
      r = Scenario.run(service, sqs, queue, dlq, metrics);
    }

    assertThat(r.states()).hasSize(5).containsEntry("r-1", "DONE after 1 attempt(s)").containsEntry("r-2", "DONE after 1 attempt(s)")
        .containsEntry("r-3", "DONE after 1 attempt(s)")
        .containsEntry("flaky-1", "DONE after 3 attempt(s)")    // failures went to the database, then succeeded
        .containsEntry("poison-1", "DEAD after 3 attempt(s)");  // DEAD in the database, the authority
    assertThat(r.dlqTaskIds()).as("a DLQ event only for the task that became DEAD, once").containsExactly("poison-1");
    assertThat(r.deadLetteredCounter()).as("the counter moved once, on the transition to DEAD").isEqualTo(1);
    assertThat(r.messagesLeft()).as("the invalid message was deleted; the unknown id's message was kept").isEqualTo(1);
    PostgresDeadLetterStore store = PostgresDeadLetterStore.builder(db.dataSource()).schema(schema).build();
    assertThat(store.count(DeadLetterFilter.all())).as("the dead letter is in PostgreSQL too").isEqualTo(1);
  }
}
