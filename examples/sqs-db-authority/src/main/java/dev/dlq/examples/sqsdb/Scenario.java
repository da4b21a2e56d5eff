package dev.dlq.examples.sqsdb;

import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.sqs.SqsEnvelope;
import dev.dlq.sqs.SqsTaskSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
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
  static final List<String> TASKS = List.of("r-1", "r-2", "r-3", "flaky-1", "poison-1");

  /** What the run left behind: task states in PostgreSQL, the DLQ's events, the counter, the work queue. */
  record Result(Map<String, String> states, List<String> dlqTaskIds, long deadLetteredCounter, int messagesLeft) {}

  private Scenario() {}

  static Result run(ReportService service, DataSource db, String schema, SqsClient sqs, String queueUrl,
      String dlqUrl, DlqMetrics metrics, Duration patience) throws Exception {
    for (String id : TASKS) {
      service.submit(id.substring(0, id.indexOf('-')).replace("r", "report"), id);
    }
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"not\": \"a task id\"}")); // deleted at once
    SqsTaskSource.sendTaskId(sqs, queueUrl, "no-such-task");                          // kept: claim misses

    List<String> dlqTaskIds = new ArrayList<>();
    long deadline = System.nanoTime() + patience.toNanos();
    Map<String, String> states = states(db, schema);
    while (System.nanoTime() < deadline && !(allFinished(states) && !dlqTaskIds.isEmpty())) {
      for (Message m : sqs.receiveMessage(b -> b.queueUrl(dlqUrl).waitTimeSeconds(1).maxNumberOfMessages(10)
          .messageAttributeNames("All")).messages()) {
        dlqTaskIds.add(m.messageAttributes().get(SqsEnvelope.ID).stringValue());
        sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
      }
      states = states(db, schema);
    }
    String left = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributesAsStrings().values().stream().mapToInt(Integer::parseInt).sum() + "";
    return new Result(states, dlqTaskIds, metrics.deadLetteredTotal(), Integer.parseInt(left));
  }

  private static boolean allFinished(Map<String, String> states) {
    return states.size() == TASKS.size()
        && states.values().stream().allMatch(s -> s.startsWith("DONE") || s.startsWith("DEAD"));
  }

  /** Each task's status and attempts, straight from the task table. */
  static Map<String, String> states(DataSource db, String schema) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT id, status, attempts FROM " + schema + ".tasks ORDER BY id")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2) + " after " + rs.getInt(3) + " attempt(s)");
        }
      }
    }
    return out;
  }
}
