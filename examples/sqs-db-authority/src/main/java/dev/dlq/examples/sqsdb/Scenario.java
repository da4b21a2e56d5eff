package dev.dlq.examples.sqsdb;

import dev.dlq.examples.support.Await;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.sqs.SqsEnvelope;
import dev.dlq.sqs.SqsTaskSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Every case of the seed, once: successes, a retried task, a poison task, an invalid message, an unknown id. */
final class Scenario {
  /** What the run left behind: task states in PostgreSQL, the DLQ's events, the counter, the work queue. */
  record Result(Map<String, String> states, List<String> dlqTaskIds, long deadLetteredCounter, int messagesLeft) {}

  private Scenario() {}

  static Result run(ReportService service, SqsClient sqs, String queueUrl, String dlqUrl, DlqMetrics metrics)
      throws Exception {
    List<String> ids = new ArrayList<>();
    ids.add(service.submit("report", "r-1"));
    ids.add(service.submit("report", "r-2"));
    ids.add(service.submit("report", "r-3"));
    ids.add(service.submit("flaky", "flaky-1"));    // times out twice, then succeeds
    ids.add(service.submit("poison", "poison-1"));  // fails every time: DEAD after 3 attempts
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"not\": \"a task id\"}")); // deleted at once
    SqsTaskSource.sendTaskId(sqs, queueUrl, "no-such-task");                          // kept: claim misses

    Await.until("every task DONE or DEAD", () -> states(service, ids).values().stream()
        .filter(s -> s.startsWith("DONE") || s.startsWith("DEAD")).count() == 5);
    List<String> dlqTaskIds = new ArrayList<>();
    Await.until("the dead-task event", () -> dlqTaskIds.addAll(receive(sqs, dlqUrl)));
    dlqTaskIds.addAll(receive(sqs, dlqUrl)); // a second event for the same task would show here
    int messagesLeft = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributesAsStrings().values().stream().mapToInt(Integer::parseInt).sum();
    return new Result(states(service, ids), dlqTaskIds, metrics.deadLetteredTotal(), messagesLeft);
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

  /** Each task's status and attempts, by id, as PostgreSQL holds them: PostgreSQL is the truth. */
  static Map<String, String> states(ReportService service, List<String> ids) {
    Map<String, String> out = new TreeMap<>();
    for (String id : ids) {
      out.put(id, service.state(id).map(s -> s.status() + " after " + s.attempts() + " attempt(s)")
          .orElse("not in the task table"));
    }
    return out;
  }
}
