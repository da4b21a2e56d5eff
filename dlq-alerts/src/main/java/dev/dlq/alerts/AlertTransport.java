package dev.dlq.alerts;

import dev.dlq.postgres.NewTask;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.spi.Checks;
import dev.dlq.spi.Source;
import java.util.List;
import java.util.Map;

/**
 * Where durable alert delivery keeps its tasks: {@link #publish} stores them (returning only once
 * they are durable), {@link #source()} reads them back for the delivery {@link dev.dlq.Worker}, whose
 * retries and dead letters are the transport's own. Built in: {@link #postgres(PostgresQueue)} and
 * {@link NatsAlertTransport} (a JetStream stream, for NATS-only setups). Implementations are thread-safe.
 */
public interface AlertTransport {

  /**
   * One alert for one channel.
   *
   * @param id stable for the (alert, channel) pair: publishing it twice must store it once
   * @param type always {@link AlertDelivery#TASK_TYPE}
   * @param payload the alert as {@link AlertJson}
   * @param headers {@link AlertDelivery#CHANNEL_HEADER} naming the channel
   */
  record Task(String id, String type, byte[] payload, Map<String, String> headers) {
    /**
     * Checks and copies.
     *
     * @param id the task id
     * @param type the task type
     * @param payload the alert JSON
     * @param headers the headers
     */
    public Task {
      Checks.notBlank(id, "id");
      Checks.notBlank(type, "type");
      payload = Checks.notNull(payload, "payload").clone();
      headers = Map.copyOf(Checks.notNull(headers, "headers"));
    }

    /**
     * A copy of the payload.
     *
     * @return the alert JSON bytes
     */
    @Override
    public byte[] payload() {
      return payload.clone();
    }
  }

  /**
   * Stores {@code tasks} durably (all of them, or throws).
   *
   * @param tasks the tasks
   * @throws dev.dlq.DlqException when they could not be stored
   */
  void publish(List<Task> tasks);

  /**
   * A new source over the stored tasks, owned and closed by the worker it is given to.
   *
   * @return a new source
   */
  Source source();

  /**
   * Tasks on a dlq PostgreSQL queue (default name {@value AlertDelivery#DEFAULT_QUEUE}); published in
   * one transaction, idempotent on the task id; dead letters go to the queue schema's store.
   *
   * @param queue the queue
   * @return the transport
   */
  static AlertTransport postgres(PostgresQueue queue) {
    Checks.notNull(queue, "queue");
    return new AlertTransport() {
      @Override
      public void publish(List<Task> tasks) {
        queue.enqueueBatch(tasks.stream().map(t -> NewTask.of(t.type(), t.payload(), t.headers()).withId(t.id())).toList());
      }

      @Override
      public Source source() {
        return queue.source();
      }

      @Override
      public String toString() {
        return "postgres " + queue;
      }
    };
  }
}
