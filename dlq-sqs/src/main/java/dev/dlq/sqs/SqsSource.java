package dev.dlq.sqs;

import dev.dlq.spi.Checks;
import dev.dlq.sqs.internal.Args;
import dev.dlq.sqs.internal.Consumer;
import dev.dlq.sqs.internal.CrashGuard;
import dev.dlq.sqs.internal.PendingDeadLetters;
import dev.dlq.sqs.internal.SqsDelivery;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import dev.dlq.spi.SourceContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A {@link Source} over one SQS queue, for a {@link dev.dlq.Worker}.
 *
 * <ul>
 *   <li>poll: long-poll ReceiveMessage calls of up to 10 messages each (waits are whole seconds,
 *       rounded up, at most 20); when the worker has room for more than 10, up to
 *       {@link Builder#receiveConcurrency} of them are in flight at once, and a poll returns as soon
 *       as one answers (the others are collected by the next polls; what they bring beyond the
 *       worker's room is kept for it, and goes back to the queue if kept for half a lease). Each
 *       claimed message stays invisible for {@link #lease()}.
 *   <li>the message: decoded from the {@link SqsEnvelope}; its attempt is SQS's
 *       ApproximateReceiveCount; a body that cannot be decoded is handed to the worker with
 *       {@link Delivery#decodeFailure()} set, and the worker dead-letters it at once (INVALID).
 *   <li>complete and dead-letter: DeleteMessageBatch, shared by concurrent settles (group commit),
 *       returning once SQS confirmed the delete (with {@link Completion#ASYNC}, {@code complete()}
 *       returns once the delete is queued). A dead letter is recorded before the delete.
 *   <li>a dead letter the sink refuses (dead-letter queue missing or unreachable): the message stays
 *       in its queue, invisible for 1 s, then 2 s, 4 s, ... up to 5 min; this source remembers the
 *       verdict, and when the message comes back it retries only the record, not the processor, until
 *       the sink takes it. The memory is this process's (bounded, lost on restart).
 *   <li>retry: ChangeMessageVisibility by the policy's delay, rounded up to whole seconds. SQS keeps
 *       a message invisible for at most 12 hours from the receive that claimed it: a longer delay is
 *       cut to what is left of those 12 hours (logged), the message comes back early and that
 *       delivery counts as an attempt. Keep retry delays under 12 hours.
 *   <li>release: visibility 0; SQS still counts the receive, so a released message comes back with
 *       its attempt raised.
 *   <li>extendLease: ChangeMessageVisibility, skipped while two thirds of the lease remain.
 *   <li>crash loops: a message received more often than the worker's attempt budget plus
 *       {@link Builder#crashLoopSlack} without being settled is dead-lettered (LEASE_EXPIRED) into the
 *       worker's sink by the source instead of crashing another worker. The budget is the worker's
 *       retry policy's; SQS's RedrivePolicy is the other backstop.
 * </ul>
 *
 * <pre>{@code
 * SqsSource source = SqsSource.builder(sqsClient, queueUrl).defaultType("order").build();
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} hands back messages received and not yet settled; it closes the
 * SQS client only when {@link Builder#closeClient(boolean)} said so.
 */
public final class SqsSource implements Source {
  /** When a completion's settlement completes. */
  public enum Completion {
    /** Once SQS confirmed the delete (the {@link Delivery} contract; deletes of concurrent completions share calls). */
    SYNC,
    /**
     * Once the delete is queued: deletes leave in batches of up to 10 within 5 ms, on
     * {@link Builder#settleConcurrency} threads of the source. Faster with few processing threads;
     * the price is that after a crash (or without {@link SqsSource#close()}) the messages completed
     * in the last milliseconds come back and are processed again. Nothing is lost either way.
     * Dead-lettering, retries and releases stay synchronous.
     */
    ASYNC
  }

  private final Consumer consumer;
  private final int crashLoopSlack;

  private SqsSource(Consumer consumer, int crashLoopSlack) {
    this.consumer = consumer;
    this.crashLoopSlack = crashLoopSlack;
  }

  /** Takes the worker's sink and observer, and sets the crash-loop guard to its attempt budget plus the slack. */
  @Override
  public void open(SourceContext context) {
    CrashGuard guard = context.crashBackstop()
        .map(n -> new CrashGuard(Math.min(1000, n + crashLoopSlack), context.sink(), context.observer(),
            "sqs-source:" + consumer.name()))
        .orElse(null);
    consumer.bind(context.sink(), guard, context.observer());
  }

  /**
   * A builder over the queue at {@code queueUrl}, read with {@code client}.
   *
   * @param client the SQS client to use
   * @param queueUrl the SQS queue's URL
   * @return a builder
   */
  public static Builder builder(SqsClient client, String queueUrl) {
    return new Builder(client, queueUrl);
  }

  /**
   * Receives up to {@code min(max, 10)} messages.
   *
   * @throws dev.dlq.DlqException when SQS fails (the vendor exception is its cause)
   * @throws InterruptedException when the thread was interrupted while waiting
   */
  @Override
  public List<? extends Delivery> poll(int max, Duration wait) throws InterruptedException {
    List<SqsDelivery> got = consumer.poll(max, wait);
    return got;
  }

  @Override
  public Duration lease() {
    return consumer.lease();
  }

  @Override
  public String name() {
    return consumer.name();
  }

  @Override
  public void close() {
    consumer.close();
  }

  /** The name of the queue at {@code queueUrl}: the URL's last path segment. */
  static String queueName(String queueUrl) {
    String s = queueUrl.endsWith("/") ? queueUrl.substring(0, queueUrl.length() - 1) : queueUrl;
    return s.substring(s.lastIndexOf('/') + 1);
  }

  /** Configures an {@link SqsSource}. Mutable and not thread-safe. */
  public static final class Builder {
    private final SqsClient client;
    private final String queueUrl;
    private String defaultType;
    private Duration lease = Duration.ofSeconds(30);
    private int settleConcurrency = 2;
    private int receiveConcurrency = 2;
    private Completion completion = Completion.SYNC;
    private Clock clock = Clock.systemUTC();
    private boolean closeClient;
    private int crashLoopSlack = 2;

    private Builder(SqsClient client, String queueUrl) {
      this.client = Checks.notNull(client, "client");
      this.queueUrl = Checks.notBlank(queueUrl, "queueUrl");
    }

    /**
     * The type of messages without a {@value SqsEnvelope#TYPE} attribute; default the queue's name.
     *
     * @param type the type of messages that carry none
     * @return this builder
     */
    public Builder defaultType(String type) {
      this.defaultType = Checks.notBlank(type, "defaultType");
      return this;
    }

    /**
     * How long a received message stays invisible (the receive's VisibilityTimeout), extended by the
     * worker while the processor runs; whole seconds from 1 s to 12 h; default 30 s.
     *
     * @param lease how long a claim holds before it expires; positive
     * @return this builder
     */
    public Builder lease(Duration lease) {
      this.lease = Args.visibility(lease, "lease");
      return this;
    }

    /**
     * How many delete (and visibility) batch calls may be out at once; settles arriving meanwhile
     * wait and share the next call. Lower means fuller batches, higher means less waiting; default 2.
     *
     * @param calls SQS calls settling messages at once; at least 1
     * @return this builder
     */
    public Builder settleConcurrency(int calls) {
      this.settleConcurrency = Checks.between(calls, 1, 64, "settleConcurrency");
      return this;
    }

    /**
     * How many ReceiveMessage calls may be in flight at once; default 2. SQS returns at most 10
     * messages per call, so one call at a time caps the source at 10 messages per round trip; with
     * more, the next receive is already under way while the worker takes the last one's messages.
     * Only used while the worker has room for more than 10 messages per further call (its
     * concurrency plus prefetch above 10); 1 receives one batch at a time.
     *
     * @param calls receives in flight at once; 1 to 16
     * @return this builder
     */
    public Builder receiveConcurrency(int calls) {
      this.receiveConcurrency = Checks.between(calls, 1, 16, "receiveConcurrency");
      return this;
    }

    /**
     * When {@code complete()} returns; default {@link Completion#SYNC}.
     *
     * @param completion what completing a message does
     * @return this builder
     */
    public Builder completion(Completion completion) {
      this.completion = Checks.notNull(completion, "completion");
      return this;
    }

    /**
     * The clock for first-seen times of messages without a sent timestamp; default UTC system clock.
     *
     * @param clock the clock deciding times (tests move it)
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Checks.notNull(clock, "clock");
      return this;
    }

    /**
     * Whether {@link SqsSource#close()} closes the client; default false (the caller owns it).
     *
     * @param close true to close the client when this closes
     * @return this builder
     */
    public Builder closeClient(boolean close) {
      this.closeClient = close;
      return this;
    }

    /**
     * How many receives beyond the worker's attempt budget a message may have without being settled
     * before the source dead-letters it as a crash loop (its workers crashed, hung or were stopped
     * while holding it). Releases on shutdown count as receives too, hence the slack; default 2.
     *
     * @param receives receives allowed beyond the attempt budget, 0 to 100
     * @return this builder
     */
    public Builder crashLoopSlack(int receives) {
      this.crashLoopSlack = Checks.between(receives, 0, 100, "crashLoopSlack");
      return this;
    }

    /**
     * Builds the source; no I/O until polled.
     *
     * @return the source
     */
    public SqsSource build() {
      String name = queueName(queueUrl);
      return new SqsSource(new Consumer(client, queueUrl, name, defaultType != null ? defaultType : name, lease,
          settleConcurrency, receiveConcurrency, completion == Completion.ASYNC, clock, new PendingDeadLetters(10_000),
          closeClient ? client : null), crashLoopSlack);
    }
  }
}
