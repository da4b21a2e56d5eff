package dev.dlq.spring;

import dev.dlq.postgres.NewTask;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.spi.Checks;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Map;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Enqueues tasks from Spring code. Inside a transaction ({@code @Transactional},
 * {@code TransactionTemplate}) the task is written on that transaction's connection: it exists if
 * and only if the transaction commits (the outbox), and workers are woken at commit. Outside one,
 * each call commits on its own. The transaction must be on the data source the queues use.
 * Thread-safe.
 *
 * <pre>{@code
 * @Transactional
 * public void placeOrder(Order order) {
 *   orders.save(order);
 *   outbox.enqueue("orders", "order.created", json(order));
 * }
 * }</pre>
 */
public final class DlqOutbox {
  private final DlqQueues queues;

  /**
   * An outbox over {@code queues}.
   *
   * @param queues the application's queues
   */
  public DlqOutbox(DlqQueues queues) {
    this.queues = Checks.notNull(queues, "queues");
  }

  /**
   * Enqueues a task with a UTF-8 payload and no headers.
   *
   * @param queue the queue's name
   * @param type the message type
   * @param payload the payload, encoded as UTF-8
   * @return the task's id
   * @throws IllegalArgumentException when an argument is null or blank
   * @throws dev.dlq.DlqException when the database fails
   */
  public String enqueue(String queue, String type, String payload) {
    return enqueue(queue, NewTask.of(type, Checks.notNull(payload, "payload").getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Enqueues a task.
   *
   * @param queue the queue's name
   * @param type the message type
   * @param payload the payload (copied)
   * @param headers string headers (copied)
   * @return the task's id
   * @throws IllegalArgumentException when an argument is null or blank
   * @throws dev.dlq.DlqException when the database fails
   */
  public String enqueue(String queue, String type, byte[] payload, Map<String, String> headers) {
    return enqueue(queue, NewTask.of(type, payload, headers));
  }

  /**
   * Enqueues {@code task} (an id, a run-at time, an attempt budget of its own).
   *
   * @param queue the queue's name
   * @param task the task
   * @return the task's id
   * @throws IllegalArgumentException when an argument is null or blank
   * @throws dev.dlq.DlqException when the database fails
   */
  public String enqueue(String queue, NewTask task) {
    PostgresQueue q = queues.queue(queue);
    Checks.notNull(task, "task");
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      return q.enqueue(task);
    }
    Connection c = DataSourceUtils.getConnection(queues.dataSource());
    try {
      return q.enqueue(c, task);
    } finally {
      DataSourceUtils.releaseConnection(c, queues.dataSource());
    }
  }
}
