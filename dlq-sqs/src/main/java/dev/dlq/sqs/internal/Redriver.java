package dev.dlq.sqs.internal;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterJson;
import dev.dlq.DlqException;
import dev.dlq.Message;
import dev.dlq.sqs.RedriveRequest;
import dev.dlq.sqs.RedriveResult;
import dev.dlq.sqs.SqsEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * One redrive run over a dead-letter queue (see {@link dev.dlq.sqs.SqsRedrive}). Every message it
 * receives stays invisible while the run lasts (so that it is looked at once and two racing runs
 * never both move it); what it does not move is handed back at the end. A message is sent to its
 * queue first and deleted from the dead-letter queue after, so a crash in between redrives it twice
 * rather than losing it. Not thread-safe: one run per instance at a time.
 */
public final class Redriver {
  private static final Logger log = LoggerFactory.getLogger(Redriver.class);
  private static final int MAX_FAILURE_LINES = 100;

  private final SqsClient client;
  private final String dlqUrl;
  private final String target;
  private final Pacer pacer;
  private final int holdSeconds;
  private final int scanWaitSeconds;
  private final int maxConsecutiveFailures;

  public Redriver(SqsClient client, String dlqUrl, String target, double ratePerSecond, Duration hold, Duration scanWait,
      int maxConsecutiveFailures) {
    this.client = client;
    this.dlqUrl = dlqUrl;
    this.target = target;
    this.pacer = new Pacer(ratePerSecond);
    this.holdSeconds = (int) Math.min(Held.MAX_VISIBILITY_SECONDS, Math.max(1, hold.toSeconds()));
    this.scanWaitSeconds = Receiver.waitSeconds(scanWait);
    this.maxConsecutiveFailures = maxConsecutiveFailures;
  }

  /** A dead-letter-queue message as the run sees it. */
  record Candidate(software.amazon.awssdk.services.sqs.model.Message raw, DeadLetter deadLetter, String problem) {
    String messageId() {
      if (deadLetter != null) {
        return deadLetter.message().id();
      }
      String id = Envelope.text(raw.messageAttributes().get(SqsEnvelope.ID));
      return id != null ? id : raw.messageId();
    }

    String deadLetterId() {
      return deadLetter != null ? deadLetter.id() : Envelope.text(raw.messageAttributes().get(SqsEnvelope.DEAD_LETTER_ID));
    }

    String value(String name) {
      String v = Envelope.text(raw.messageAttributes().get(name));
      if (v == null && deadLetter != null) {
        v = deadLetter.message().headers().get(name);
      }
      return v;
    }

    static Candidate of(software.amazon.awssdk.services.sqs.model.Message m) {
      if (m.messageAttributes().get(SqsEnvelope.FORMAT) == null) {
        return new Candidate(m, null, null); // moved here by SQS's own RedrivePolicy: moved back as it is
      }
      try {
        return new Candidate(m, DeadLetterJson.fromJson(m.body().getBytes(StandardCharsets.UTF_8)), null);
      } catch (RuntimeException e) {
        return new Candidate(m, null, "its dead-letter JSON cannot be read: " + e.getMessage());
      }
    }
  }

  private final class Run {
    final RedriveRequest request;
    final Map<String, String> held = new LinkedHashMap<>(); // SQS message id -> latest receipt handle
    final Set<String> seen = new HashSet<>();
    final List<String> failures = new ArrayList<>();
    int scanned;
    int matched;
    int moved;
    int failed;
    int consecutiveFailures;
    boolean stopped;

    Run(RedriveRequest request) {
      this.request = request;
    }

    void fail(Candidate c, String why) {
      failed++;
      consecutiveFailures++;
      held.put(c.raw().messageId(), c.raw().receiptHandle());
      if (failures.size() < MAX_FAILURE_LINES) {
        failures.add("message " + c.messageId() + ": " + why);
      }
    }

    RedriveResult result() {
      return new RedriveResult(request.dryRun(), scanned, matched, moved, failed, stopped, failures);
    }
  }

  public RedriveResult run(RedriveRequest request) {
    Run run = new Run(request);
    try {
      while (run.matched < request.limit() && !run.stopped) {
        List<software.amazon.awssdk.services.sqs.model.Message> got = receive();
        boolean anyNew = false;
        List<Candidate> toMove = new ArrayList<>();
        for (software.amazon.awssdk.services.sqs.model.Message m : got) {
          if (!run.seen.add(m.messageId())) {
            run.held.put(m.messageId(), m.receiptHandle()); // came back during a long run: hold it again
            continue;
          }
          anyNew = true;
          run.scanned++;
          Candidate c = Candidate.of(m);
          if (run.matched >= request.limit() || !matches(request, c)) {
            run.held.put(m.messageId(), m.receiptHandle());
            continue;
          }
          run.matched++;
          if (request.dryRun()) {
            run.held.put(m.messageId(), m.receiptHandle());
          } else if (c.problem() != null) {
            run.fail(c, c.problem());
          } else {
            toMove.add(c);
          }
        }
        if (!anyNew) {
          break;
        }
        if (!toMove.isEmpty() && !move(run, toMove)) {
          break;
        }
      }
    } finally {
      release(run.held.values());
    }
    log.info("redrive from {}{}: scanned {}, matched {}, moved {}, failed {}{}", dlqUrl,
        request.dryRun() ? " (dry run)" : "", run.scanned, run.matched, run.moved, run.failed,
        run.stopped ? ", stopped after repeated failures" : "");
    return run.result();
  }

  private List<software.amazon.awssdk.services.sqs.model.Message> receive() {
    try {
      return client.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(Receiver.MAX_RECEIVE)
          .waitTimeSeconds(scanWaitSeconds).visibilityTimeout(holdSeconds).messageAttributeNames("All")).messages();
    } catch (SdkException e) {
      throw new DlqException("could not receive from dead-letter queue " + dlqUrl + ": " + e.getMessage(), e);
    }
  }

  static boolean matches(RedriveRequest request, Candidate c) {
    if (request.byId()) {
      String dlId = c.deadLetterId();
      return request.ids().contains(c.messageId()) || (dlId != null && request.ids().contains(dlId));
    }
    for (Map.Entry<String, String> e : request.attributes().entrySet()) {
      if (!e.getValue().equals(c.value(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Sends {@code batch} (at most 10) to its queues, deletes what arrived; returns false when the run must stop. */
  private boolean move(Run run, List<Candidate> batch) {
    Map<String, List<Candidate>> byTarget = new LinkedHashMap<>();
    for (Candidate c : batch) {
      String to = targetOf(c);
      if (to == null) {
        run.fail(c, "it did not come from an SQS queue (" + (c.deadLetter() != null ? c.deadLetter().message().source()
            : "no dead-letter envelope") + "): pass a target queue");
      } else {
        byTarget.computeIfAbsent(to, k -> new ArrayList<>()).add(c);
      }
    }
    for (Map.Entry<String, List<Candidate>> e : byTarget.entrySet()) {
      if (!pacer.acquire(e.getValue().size())) {
        run.stopped = true;
        e.getValue().forEach(c -> run.held.put(c.raw().messageId(), c.raw().receiptHandle()));
        return false;
      }
      sendAndDelete(run, e.getKey(), e.getValue());
    }
    if (run.consecutiveFailures >= maxConsecutiveFailures) {
      run.stopped = true;
    }
    return !run.stopped;
  }

  private String targetOf(Candidate c) {
    if (target != null) {
      return target;
    }
    if (c.deadLetter() != null && c.deadLetter().message().source().backend().equals("sqs")) {
      return c.deadLetter().message().source().destination();
    }
    return null;
  }

  private void sendAndDelete(Run run, String to, List<Candidate> group) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>(group.size());
    List<Candidate> sent = new ArrayList<>(group.size());
    for (Candidate c : group) {
      try {
        entries.add(entry(Integer.toString(entries.size()), to, c));
        sent.add(c);
      } catch (IllegalArgumentException e) {
        run.fail(c, e.getMessage());
      }
    }
    if (entries.isEmpty()) {
      return;
    }
    SendMessageBatchResponse r;
    try {
      r = client.sendMessageBatch(b -> b.queueUrl(to).entries(entries));
    } catch (SdkException e) {
      sent.forEach(c -> run.fail(c, "could not send to " + to + ": " + e.getMessage()));
      return;
    }
    Map<String, BatchResultErrorEntry> failedById = new LinkedHashMap<>();
    r.failed().forEach(f -> failedById.put(f.id(), f));
    List<Candidate> arrived = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      BatchResultErrorEntry f = failedById.get(Integer.toString(i));
      if (f != null) {
        run.fail(sent.get(i), "could not send to " + to + ": " + f.code() + " " + f.message());
      } else {
        arrived.add(sent.get(i));
      }
    }
    if (!arrived.isEmpty()) {
      run.consecutiveFailures = 0;
    }
    run.moved += arrived.size();
    deleteFromDlq(run, arrived);
  }

  private SendMessageBatchRequestEntry entry(String id, String to, Candidate c) {
    SendMessageBatchRequestEntry.Builder b = SendMessageBatchRequestEntry.builder().id(id);
    String group;
    if (c.deadLetter() != null) {
      Message m = c.deadLetter().message();
      SendMessageRequest req = Envelope.request(to, m.id(), m.type(), m.payload(), m.headers()).build();
      b.messageBody(req.messageBody()).messageAttributes(req.messageAttributes());
      group = m.type();
    } else {
      Map<String, MessageAttributeValue> attrs = c.raw().messageAttributes();
      b.messageBody(c.raw().body()).messageAttributes(attrs);
      group = "dlq-redrive";
    }
    if (to.endsWith(".fifo")) {
      // the DLQ copy's own id: a redrive that crashed before its delete and runs again is dropped by SQS
      b.messageGroupId(group).messageDeduplicationId(c.raw().messageId());
    }
    return b.build();
  }

  private void deleteFromDlq(Run run, List<Candidate> arrived) {
    if (arrived.isEmpty()) {
      return;
    }
    List<software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < arrived.size(); i++) {
      entries.add(software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
          .id(Integer.toString(i)).receiptHandle(arrived.get(i).raw().receiptHandle()).build());
    }
    List<String> notDeleted = new ArrayList<>();
    try {
      client.deleteMessageBatch(b -> b.queueUrl(dlqUrl).entries(entries)).failed()
          .forEach(f -> notDeleted.add(arrived.get(Integer.parseInt(f.id())).messageId() + " (" + f.code() + ")"));
    } catch (SdkException e) {
      arrived.forEach(c -> notDeleted.add(c.messageId() + " (" + e.getMessage() + ")"));
    }
    for (String s : notDeleted) {
      if (run.failures.size() < MAX_FAILURE_LINES) {
        run.failures.add("message " + s + ": moved, but could not be deleted from the dead-letter queue;"
            + " it may be redriven again");
      }
    }
  }

  private void release(Iterable<String> handles) {
    List<String> batch = new ArrayList<>(10);
    for (String h : handles) {
      batch.add(h);
      if (batch.size() == 10) {
        releaseBatch(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      releaseBatch(batch);
    }
  }

  private void releaseBatch(List<String> handles) {
    List<software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < handles.size(); i++) {
      entries.add(software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry.builder()
          .id(Integer.toString(i)).receiptHandle(handles.get(i)).visibilityTimeout(0).build());
    }
    try {
      client.changeMessageVisibilityBatch(b -> b.queueUrl(dlqUrl).entries(entries));
    } catch (SdkException e) {
      log.warn("could not hand back {} message(s) to {}; they return when their visibility ends", handles.size(),
          dlqUrl, e);
    }
  }
}
