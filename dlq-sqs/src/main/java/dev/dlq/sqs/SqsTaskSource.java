package dev.dlq.sqs;

import dev.dlq.spi.Checks;
import dev.dlq.DlqException;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.sqs.internal.Args;
import dev.dlq.sqs.internal.TaskConsumer;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * DB-authority mode: SQS carries task ids, the PostgreSQL task table ({@link PostgresQueue}) is the
 * truth. A {@link Source} for a {@link dev.dlq.Worker}:
 *
 * <ul>
 *   <li>a message that carries no task id (see {@link #sendTaskId}) is deleted at once;
 *   <li>a task that cannot be claimed (another worker holds it, it is done, dead or unknown) keeps
 *       its message: SQS redelivers it when its visibility ends (set SQS's RedrivePolicy as the
 *       backstop for messages that can never be claimed);
 *   <li>success: the task is completed in the database, then the message is deleted;
 *   <li>failure: the database records the outcome ({@link PostgresQueue#fail}); rescheduled, the
 *       message comes back when the task is due ({@link RetryDelivery#VISIBILITY}) or is deleted
 *       ({@link RetryDelivery#DELETE}); dead, the dead letter (the task's dead-letter JSON: task id,
 *       worker id, attempts, max attempts, error, time) is published with {@link Builder#deadLetters}
 *       and the message deleted; a failed publish still deletes (the database holds DEAD) and is
 *       reported to the worker's observers ({@link dev.dlq.spi.DlqObserver#publishFailed});
 *   <li>the dead-lettered counter moves exactly once per task, on the database's transition to DEAD,
 *       whatever the publish does: a death decided by the worker's policy is reported by the worker
 *       (the database's {@link dev.dlq.RecordResult}), one decided by the database's attempt budget
 *       (a crash loop) by this source, to the same observers.
 * </ul>
 *
 * <p>The attempt a processor sees is the task's attempt in the database; the claim writes the
 * worker's attempt budget on the task, so the retry policy states it once. The worker's sink is the
 * task table's dead-letter store by default, and the database writes the dead letter in the task's
 * transaction; {@link Builder#deadLetters} publishes it.
 *
 * <pre>{@code
 * SqsDeadLetterSink dlq = SqsDeadLetterSink.builder(sqs, dlqUrl).build();
 * SqsTaskSource source = SqsTaskSource.builder(sqs, queueUrl, tasks).deadLetters(dlq).build();
 * Worker.builder(source, processor).observer(metrics).build().start();
 * }</pre>
 *
 * <p>Thread-safe. Needs dlq-postgres on the class or module path ({@code requires dev.dlq.postgres}).
 */
@SuppressWarnings("exports") // PostgresQueue: an optional dependency that users of this class require themselves
public final class SqsTaskSource implements Source {
  /** What happens to the SQS message of a task the database rescheduled. */
  public enum RetryDelivery {
    /** It stays and becomes visible when the task is due: SQS carries the retry. */
    VISIBILITY,
    /** It is deleted: something else (a dispatcher) sends the task id again when it is due. */
    DELETE
  }

  private final TaskConsumer consumer;

  private SqsTaskSource(TaskConsumer consumer) {
    this.consumer = consumer;
  }
  /** Takes the worker's observer and attempt budget: claims write the budget on the task. */
  @Override
  public void open(dev.dlq.spi.SourceContext context) {
    consumer.bind(context.observer(), context.crashBackstop().orElse(0));
  }

  /** The task table's dead-letter store, which the database writes in the task's transaction. */
  @Override
  public java.util.Optional<DeadLetterSink> defaultSink() {
    return java.util.Optional.of(consumer.tasks.deadLetterStore());
  }


  /**
   * A builder over the SQS queue at {@code queueUrl} whose messages name tasks of {@code tasks}.
   *
   * @param client the SQS client to use
   * @param queueUrl the SQS queue's URL
   * @param tasks the PostgreSQL queue that holds the tasks and decides
   * @return a builder
   */
  public static Builder builder(SqsClient client, String queueUrl, PostgresQueue tasks) {
    return new Builder(client, queueUrl, tasks);
  }

  /**
   * Sends the id of task {@code taskId} to the queue at {@code queueUrl} (body: the id); returns
   * the SQS message id.
   *
   * @param client the SQS client to use
   * @param queueUrl the SQS queue's URL
   * @param taskId the task's id (the message id its workers see)
   * @return the SQS message id
   * @throws DlqException when SQS refuses (cause: the SDK's exception)
   */
  public static String sendTaskId(SqsClient client, String queueUrl, String taskId) {
    Checks.notNull(client, "client");
    Checks.notBlank(queueUrl, "queueUrl");
    Checks.notBlank(taskId, "taskId");
    try {
      return client.sendMessage(b -> b.queueUrl(queueUrl).messageBody(taskId)).messageId();
    } catch (SdkException e) {
      throw new DlqException("could not send task id " + taskId + " to " + queueUrl + ": " + e.getMessage(), e);
    }
  }

  /**
   * Receives up to {@code min(max, 10)} messages and claims their tasks; returns those claimed.
   *
   * @throws DlqException when SQS fails, or the database fails before any task was claimed
   */
  @Override
  public List<? extends Delivery> poll(int max, Duration wait) throws InterruptedException {
    return consumer.poll(max, wait);
  }

  @Override
  public Duration lease() {
    return consumer.lease();
  }

  @Override
  public String name() {
    return consumer.name();
  }

  /** Stops the lease reaper and hands back tasks claimed and not settled. */
  @Override
  public void close() {
    consumer.close();
  }

  /** Configures an {@link SqsTaskSource}. Mutable and not thread-safe. */
  public static final class Builder {
    private final SqsClient client;
    private final String queueUrl;
    private final PostgresQueue tasks;
    private String owner;
    private DeadLetterSink deadLetters;
    private Duration lease = Duration.ofSeconds(30);
    private RetryDelivery retryDelivery = RetryDelivery.VISIBILITY;
    private Duration reapInterval = Duration.ofSeconds(60);
    private int settleConcurrency = 2;
    private boolean closeClient;

    private Builder(SqsClient client, String queueUrl, PostgresQueue tasks) {
      this.client = Checks.notNull(client, "client");
      this.queueUrl = Checks.notBlank(queueUrl, "queueUrl");
      this.tasks = Checks.notNull(tasks, "tasks");
    }

    /**
     * The lease owner written on claimed tasks; unique among live sources; default "sqs-" and a random suffix.
     *
     * @param owner the lease owner, unique among live sources
     * @return this builder
     */
    public Builder owner(String owner) {
      this.owner = Checks.notBlank(owner, "owner");
      return this;
    }

    /**
     * Where dead tasks' events are published (an {@link SqsDeadLetterSink}); default none.
     *
     * @param sink where tasks that die outside a worker go
     * @return this builder
     */
    public Builder deadLetters(DeadLetterSink sink) {
      this.deadLetters = Checks.notNull(sink, "deadLetters");
      return this;
    }

    /**
     * The task lease and SQS visibility, whole seconds from 1 s to 12 h; default 30 s.
     *
     * @param lease how long a claim holds before it expires; positive
     * @return this builder
     */
    public Builder lease(Duration lease) {
      this.lease = Args.visibility(lease, "lease");
      return this;
    }

    /**
     * What happens to the message of a rescheduled task; default {@link RetryDelivery#VISIBILITY}.
     *
     * @param how how a retry reaches SQS again
     * @return this builder
     */
    public Builder retryDelivery(RetryDelivery how) {
      this.retryDelivery = Checks.notNull(how, "retryDelivery");
      return this;
    }

    /**
     * How often expired task leases are reaped ({@link PostgresQueue#reapExpiredLeases()}: returned,
     * or dead-lettered as LEASE_EXPIRED once their budget is used); zero turns it off; default 60 s.
     *
     * @param interval how often expired leases are reaped
     * @return this builder
     */
    public Builder reapInterval(Duration interval) {
      this.reapInterval = Checks.notNegative(interval, "reapInterval");
      return this;
    }

    /**
     * How many SQS delete / visibility batch calls may be out at once; default 2.
     *
     * @param calls settles at once; at least 1
     * @return this builder
     */
    public Builder settleConcurrency(int calls) {
      this.settleConcurrency = Checks.between(calls, 1, 64, "settleConcurrency");
      return this;
    }

    /**
     * Whether {@link SqsTaskSource#close()} closes the client; default false.
     *
     * @param close true to close the client when this closes
     * @return this builder
     */
    public Builder closeClient(boolean close) {
      this.closeClient = close;
      return this;
    }

    /**
     * Builds the source; no I/O until polled.
     *
     * @return the source
     */
    public SqsTaskSource build() {
      return new SqsTaskSource(new TaskConsumer(client, queueUrl, SqsSource.queueName(queueUrl), tasks,
          owner != null ? owner : "sqs-" + UUID.randomUUID().toString().substring(0, 8), deadLetters,
          lease, retryDelivery == RetryDelivery.DELETE, reapInterval,
          settleConcurrency, closeClient ? client : null));
    }
  }
}
