package dev.dlq.sqs.internal;

import dev.dlq.DlqException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

/**
 * The settling calls on one queue, batched by group commit: deletes go out as DeleteMessageBatch,
 * visibility changes (retry, release, lease extension) as ChangeMessageVisibilityBatch. Each call
 * blocks until SQS answered for its entry. Thread-safe.
 */
public final class QueueOps {
  /** One visibility change. */
  public record VisibilityChange(String receiptHandle, int seconds) {}

  private final SqsClient client;
  private final String queueUrl;
  private final GroupCommit<String> deletes;
  private final GroupCommit<VisibilityChange> changes;

  public QueueOps(SqsClient client, String queueUrl, int maxInFlight) {
    this.client = client;
    this.queueUrl = queueUrl;
    this.deletes = new GroupCommit<>(this::deleteBatch, 10, maxInFlight);
    this.changes = new GroupCommit<>(this::changeBatch, 10, maxInFlight);
  }

  /** Deletes the message of {@code receiptHandle}; returns once SQS confirmed it. */
  public void delete(String receiptHandle) {
    deletes.submit(receiptHandle);
  }

  /** Makes the message of {@code receiptHandle} visible again in {@code seconds}. */
  public void changeVisibility(String receiptHandle, int seconds) {
    changes.submit(new VisibilityChange(receiptHandle, seconds));
  }

  private List<RuntimeException> deleteBatch(List<String> handles) {
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(handles.size());
    for (int i = 0; i < handles.size(); i++) {
      entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(handles.get(i)).build());
    }
    DeleteMessageBatchResponse r;
    try {
      r = client.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
    } catch (SdkException e) {
      throw new DlqException("could not delete " + handles.size() + " message(s) from " + queueUrl + ": " + e.getMessage(), e);
    }
    return errors(handles.size(), r.failed(), "delete a message from");
  }

  private List<RuntimeException> changeBatch(List<VisibilityChange> batch) {
    List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      VisibilityChange c = batch.get(i);
      entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
          .receiptHandle(c.receiptHandle()).visibilityTimeout(c.seconds()).build());
    }
    ChangeMessageVisibilityBatchResponse r;
    try {
      r = client.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries));
    } catch (SdkException e) {
      throw new DlqException("could not change the visibility of " + batch.size() + " message(s) in " + queueUrl
          + ": " + e.getMessage(), e);
    }
    return errors(batch.size(), r.failed(), "change the visibility of a message in");
  }

  private List<RuntimeException> errors(int size, List<BatchResultErrorEntry> failed, String what) {
    List<RuntimeException> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(null);
    }
    if (failed.isEmpty()) {
      return out;
    }
    Map<String, BatchResultErrorEntry> byId = new HashMap<>();
    failed.forEach(f -> byId.put(f.id(), f));
    for (int i = 0; i < size; i++) {
      BatchResultErrorEntry f = byId.get(Integer.toString(i));
      if (f != null) {
        out.set(i, new DlqException("could not " + what + " " + queueUrl + ": " + f.code() + " " + f.message()));
      }
    }
    return out;
  }
}
