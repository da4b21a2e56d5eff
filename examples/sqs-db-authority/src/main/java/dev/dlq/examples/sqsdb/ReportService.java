package dev.dlq.examples.sqsdb;

import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.postgres.NewTask;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.PostgresSchema;
import dev.dlq.postgres.PostgresTaskState;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.sqs.SqsDeadLetterSink;
import dev.dlq.sqs.SqsTaskSource;
import jakarta.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Seed 000: SQS carries task ids, PostgreSQL is the truth. A report task is enqueued in PostgreSQL
 * and its id sent to SQS; the worker claims the task in the database, runs it, writes the outcome to
 * the database, and only then deletes the SQS message. A task that uses up its attempts becomes DEAD
 * in the database (with its dead letter, in the same transaction) and only then is a dead-task event
 * published to the SQS dead-letter queue; the dead-lettered counter moves once per task, on that
 * transition, whatever the publish does.
 */
public final class ReportService implements AutoCloseable {
  private final PostgresQueue tasks;
  private final SqsClient sqs;
  private final String queueUrl;
  private final Worker worker;

  private ReportService(PostgresQueue tasks, SqsClient sqs, String queueUrl, Worker worker) {
    this.tasks = tasks;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.worker = worker;
  }

  /** Creates dlq's tables in {@code schema} if needed and starts the worker. */
  public static ReportService start(DataSource db, String schema, SqsClient sqs, String queueUrl, String dlqUrl,
      DlqMetrics metrics) {
    PostgresSchema.migrate(db, schema);
    PostgresQueue tasks = PostgresQueue.builder(db, "reports").schema(schema)
        .keepCompleted(Duration.ofHours(1))                    // keep DONE rows so the example can show them
        .build();
    SqsTaskSource source = SqsTaskSource.builder(sqs, queueUrl, tasks)
        .deadLetters(SqsDeadLetterSink.builder(sqs, dlqUrl).build()) // published only when a task became DEAD
        .build();
    Worker worker = Worker.builder(source, ReportService::generate)
        .retryPolicy(RetryPolicy.fixed(Duration.ofMillis(200), 3)) // the attempt budget, stated once
        .observer(metrics)                                          // dlq_dead_lettered_total and the rest
        .workerId("reports-worker-1")
        .build()
        .start();
    return new ReportService(tasks, sqs, queueUrl, worker);
  }

  /** Enqueues a report task in PostgreSQL, then sends its id to SQS; returns the task id. */
  public String submit(String kind, String id) {
    byte[] payload = Json.createObjectBuilder().add("report", id).build().toString().getBytes(StandardCharsets.UTF_8);
    tasks.enqueue(NewTask.of(kind, payload, Map.of()).withId(id));
    SqsTaskSource.sendTaskId(sqs, queueUrl, id);
    return id;
  }

  /**
   * Where task {@code id} stands in PostgreSQL (status, attempts, lease, last error); empty when the
   * table has no such task of this queue.
   */
  public Optional<PostgresTaskState> state(String id) {
    return tasks.state(id);
  }

  /** The processor: "report" succeeds, "flaky" times out twice, "poison" always hits a bug. */
  static Outcome generate(Message task) throws IOException {
    switch (task.type()) {
      case "flaky":
        if (task.attempt() < 3) {
          throw new IOException("storage timed out on attempt " + task.attempt());
        }
        return Outcome.success();
      case "poison":
        throw new IllegalStateException("report template missing for " + task.id());
      default:
        return Outcome.success();
    }
  }

  /** Stops the worker (it hands back what it holds) and closes its source. */
  @Override
  public void close() {
    worker.close();
  }
}
