package dev.dlq.examples.sqsdb;

import dev.dlq.examples.support.Await;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.sqs.SqsEnvelope;
import dev.dlq.sqs.SqsTaskSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Every case of the seed, once: successes, a retried task, a poison task, an invalid message, an unknown id. */
final class Scenario {
  /** What the run left behind: task states in PostgreSQL, the DLQ's events, the counter, the work queue. */
  record Result(Map<String, String> states, List<String> dlqTaskIds, long deadLetteredCounter, int messagesLeft) {}

  private Scenario() {}

  static Result run(ReportService service, DataSource db, String schema, SqsClient sqs, String queueUrl,
      String dlqUrl, DlqMetrics metrics) throws Exception {
    service.submit("report", "r-1");
    service.submit("report", "r-2");
    service.submit("report", "r-3");
    service.submit("flaky", "flaky-1");    // times out twice, then succeeds
    service.submit("poison", "poison-1");  // fails every time: DEAD after 3 attempts
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"not\": \"a task id\"}")); // deleted at once
    SqsTaskSource.sendTaskId(sqs, queueUrl, "no-such-task");                          // kept: claim misses

    Await.until("every task DONE or DEAD", () -> states(db, schema).values().stream()
        .filter(s -> s.startsWith("DONE") || s.startsWith("DEAD")).count() == 5);
    List<String> dlqTaskIds = new ArrayList<>();
    Await.until("the dead-task event", () -> dlqTaskIds.addAll(receive(sqs, dlqUrl)));
    dlqTaskIds.addAll(receive(sqs, dlqUrl)); // a second event for the same task would show here
    int messagesLeft = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributesAsStrings().values().stream().mapToInt(Integer::parseInt).sum();
    return new Result(states(db, schema), dlqTaskIds, metrics.deadLetteredTotal(), messagesLeft);
  }

  /** The task ids of the dead-task events waiting in the DLQ (for a second at most); deletes them. */
  static List<String> receive(SqsClient sqs, String dlqUrl) {
    List<String> taskIds = new ArrayList<>();
    for (Message m : sqs.receiveMessage(b -> b.queueUrl(dlqUrl).waitTimeSeconds(1).maxNumberOfMessages(10)
        .messageAttributeNames("All")).messages()) {
      taskIds.add(m.messageAttributes().get(SqsEnvelope.ID).stringValue());
      sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
    }
    return taskIds;
  }

  /** Each task's status and attempts, straight from the task table: PostgreSQL is the truth. */
  static Map<String, String> states(DataSource db, String schema) {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT id, status, attempts FROM " + schema + ".tasks ORDER BY id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2) + " after " + rs.getInt(3) + " attempt(s)");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the task table in schema " + schema, e);
    }
    return out;
  }
}
