package dev.dlq.sqs;

import dev.dlq.spi.Checks;
import dev.dlq.DlqException;
import dev.dlq.sqs.internal.Args;
import dev.dlq.sqs.internal.Redriver;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Moves messages from an SQS dead-letter queue back to their queue, and installs SQS's own
 * RedrivePolicy as a crash backstop.
 *
 * <p>A dead letter written by {@link SqsDeadLetterSink} goes back to the queue it came from (its
 * {@link dev.dlq.SourceRef}) as the original message: the same payload bytes, the same id and type,
 * the same headers as attributes, so a worker sees what it saw before, with a fresh attempt count
 * (a new SQS message). A message that SQS's RedrivePolicy moved (no dead-letter envelope) goes back
 * as it is, body and every attribute, to {@link Builder#target(String)}, which it needs. Sends are
 * paced to {@link Builder#ratePerSecond(double)}; a run gives up after
 * {@link Builder#maxConsecutiveFailures(int)} failures in a row.
 *
 * <p>Each message is sent first and then deleted from the dead-letter queue: a crash in between
 * sends it twice, never loses it (a FIFO target drops the second copy: its deduplication id is the
 * dead-letter-queue message's id). Every message received during a run stays invisible until the
 * run ends, so two operators redriving at once move each message once; what a run does not move is
 * made visible again when it ends. A dry run only counts, holding what it saw for the run's length.
 *
 * <pre>{@code
 * SqsRedrive redrive = SqsRedrive.builder(sqs, dlqUrl).ratePerSecond(20).build();
 * long waiting = redrive.run(RedriveRequest.matching(Map.of(SqsEnvelope.TYPE, "order")).asDryRun()).matched();
 * RedriveResult r = redrive.run(RedriveRequest.matching(Map.of(SqsEnvelope.TYPE, "order")));
 * }</pre>
 *
 * <p>Thread-safe: runs do not share state and may overlap.
 */
public final class SqsRedrive {
  private final SqsClient client;
  private final String dlqUrl;
  private final String target;
  private final double ratePerSecond;
  private final Duration hold;
  private final Duration scanWait;
  private final int maxConsecutiveFailures;

  private SqsRedrive(Builder b) {
    this.client = b.client;
    this.dlqUrl = b.dlqUrl;
    this.target = b.target;
    this.ratePerSecond = b.ratePerSecond;
    this.hold = b.hold;
    this.scanWait = b.scanWait;
    this.maxConsecutiveFailures = b.maxConsecutiveFailures;
  }

  /**
   * A redrive from the dead-letter queue at {@code dlqUrl}.
   *
   * @param client the SQS client to use
   * @param dlqUrl the dead-letter queue's URL
   * @return a builder
   */
  public static Builder builder(SqsClient client, String dlqUrl) {
    return new Builder(client, dlqUrl);
  }

  /**
   * Moves (or, for a dry run, counts) what {@code request} selects.
   *
   * @param request what to move
   * @return how many messages were scanned, matched, moved (none in a dry run) and failed
   * @throws DlqException when the dead-letter queue cannot be read (what was moved until then stays moved)
   */
  public RedriveResult run(RedriveRequest request) {
    Checks.notNull(request, "request");
    return new Redriver(client, dlqUrl, target, ratePerSecond, hold, scanWait, maxConsecutiveFailures).run(request);
  }

  /**
   * Sets SQS's RedrivePolicy on {@code queueUrl}: after {@code maxReceiveCount} receives SQS itself
   * moves a message to {@code dlqUrl}, untouched. This is the backstop for messages that crash their
   * worker before it can settle them; choose it above the retry policy's max attempts (say, +2), so
   * that ordinary deaths go through the worker and its dead-letter record.
   *
   * @param client the SQS client to use
   * @param queueUrl the queue to move messages to
   * @param dlqUrl the dead-letter queue's URL
   * @param maxReceiveCount receives before SQS moves a message to the dead-letter queue; at least 1
   * @throws IllegalArgumentException when {@code maxReceiveCount} is not between 1 and 1000
   * @throws DlqException when SQS refuses (cause: the SDK's exception)
   */
  public static void setRedrivePolicy(SqsClient client, String queueUrl, String dlqUrl, int maxReceiveCount) {
    Checks.notNull(client, "client");
    Checks.notBlank(queueUrl, "queueUrl");
    Checks.notBlank(dlqUrl, "dlqUrl");
    Checks.between(maxReceiveCount, 1, 1000, "maxReceiveCount");
    try {
      String arn = client.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributes().get(QueueAttributeName.QUEUE_ARN);
      if (arn == null) {
        throw new DlqException("SQS returned no QueueArn for " + dlqUrl);
      }
      String policy = "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":" + maxReceiveCount + "}";
      client.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, policy)));
    } catch (SdkException e) {
      throw new DlqException("could not set the RedrivePolicy of " + queueUrl + " to " + dlqUrl + ": " + e.getMessage(), e);
    }
  }

  /** Configures an {@link SqsRedrive}. Mutable and not thread-safe. */
  public static final class Builder {
    private final SqsClient client;
    private final String dlqUrl;
    private String target;
    private double ratePerSecond = 50;
    private Duration hold = Duration.ofMinutes(5);
    private Duration scanWait = Duration.ofSeconds(1);
    private int maxConsecutiveFailures = 10;

    private Builder(SqsClient client, String dlqUrl) {
      this.client = Checks.notNull(client, "client");
      this.dlqUrl = Checks.notBlank(dlqUrl, "dlqUrl");
    }

    /**
     * Send everything to this queue instead of each dead letter's own; required for messages without an envelope.
     *
     * @param queueUrl the queue to move messages to
     * @return this builder
     */
    public Builder target(String queueUrl) {
      this.target = Checks.notBlank(queueUrl, "target");
      return this;
    }

    /**
     * The most messages sent per second, on average; default 50.
     *
     * @param rate messages moved per second at most; positive
     * @return this builder
     */
    public Builder ratePerSecond(double rate) {
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("ratePerSecond must be > 0 and finite but was " + rate);
      }
      this.ratePerSecond = rate;
      return this;
    }

    /**
     * How long messages looked at stay invisible while a run lasts; default 5 minutes.
     *
     * @param hold how long a message read from the dead-letter queue stays hidden while it is moved
     * @return this builder
     */
    public Builder hold(Duration hold) {
      this.hold = Checks.between(hold, Duration.ofSeconds(1), Duration.ofHours(12), "hold");
      return this;
    }

    /**
     * How long a receive waits before the run takes the queue as drained; default 1 s.
     *
     * @param wait how long one scan of the dead-letter queue waits for messages
     * @return this builder
     */
    public Builder scanWait(Duration wait) {
      this.scanWait = Checks.between(wait, Duration.ZERO, Duration.ofSeconds(20), "scanWait");
      return this;
    }

    /**
     * Failures in a row after which a run stops; default 10.
     *
     * @param n how many failed moves in a row stop the run
     * @return this builder
     */
    public Builder maxConsecutiveFailures(int n) {
      this.maxConsecutiveFailures = Checks.between(n, 1, Integer.MAX_VALUE, "maxConsecutiveFailures");
      return this;
    }

    /**
     * Builds the redrive.
     *
     * @return the redrive
     */
    public SqsRedrive build() {
      return new SqsRedrive(this);
    }
  }
}
