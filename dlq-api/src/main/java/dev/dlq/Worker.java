package dev.dlq;

import static dev.dlq.internal.Checks.atLeast;
import static dev.dlq.internal.Checks.notNull;
import static dev.dlq.internal.Checks.positive;

import dev.dlq.internal.engine.Engine;
import dev.dlq.internal.engine.EngineConfig;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Source;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * The engine: polls a {@link Source}, runs the {@link Processor}, and settles every message:
 * success completes it; a failure is classified and the {@link RetryPolicy} retries it with a delay
 * or gives up; what gives up is recorded in the {@link DeadLetterSink} before it leaves its source.
 *
 * <p>Concurrency is bounded: at most {@code concurrency} processor calls run at once and at most
 * {@code concurrency + prefetch} messages are claimed; the worker never polls for more than its
 * free capacity. While a processor runs, leases are extended. {@link #close()} stops polling, hands
 * back what was claimed but not started, and waits for in-flight work up to the shutdown timeout,
 * then interrupts it and hands it back too.
 *
 * <pre>{@code
 * try (Worker worker = Worker.builder(source, processor)
 *     .retryPolicy(RetryPolicy.conservative())
 *     .sink(deadLetters)
 *     .concurrency(8)
 *     .build()) {
 *   worker.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. A worker starts once; a closed worker cannot be restarted.
 */
public final class Worker implements AutoCloseable {
  private final Engine engine;

  private Worker(Engine engine) {
    this.engine = engine;
  }

  public static Builder builder(Source source, Processor processor) {
    return new Builder(source, processor);
  }

  /** Starts polling. @throws IllegalStateException when already started or closed */
  public Worker start() {
    engine.start();
    return this;
  }

  /** This worker's id (recorded on attempts and dead letters). */
  public String id() {
    return engine.config().workerId();
  }

  /** The metrics it reports to. */
  public DlqMetrics metrics() {
    return engine.config().metrics();
  }

  /** Messages claimed and not yet settled. */
  public int inFlight() {
    return engine.inFlight();
  }

  /** The circuit breaker's state. */
  public CircuitState circuitState() {
    return engine.circuitState();
  }

  /**
   * Stops polling, releases claimed-but-unstarted messages, waits up to the shutdown timeout for
   * in-flight ones, then interrupts and releases them. Returns whether everything finished in time.
   */
  public boolean shutdown() {
    return engine.shutdown();
  }

  @Override
  public void close() {
    engine.shutdown();
  }

  /** Circuit-breaker states. */
  public enum CircuitState {
    /** Polling normally. */
    CLOSED,
    /** Recoverable failures dominated: polling is paused. */
    OPEN,
    /** Probing with one poll after the pause. */
    HALF_OPEN
  }

  /** Configures a {@link Worker}. Mutable and not thread-safe. */
  public static final class Builder {
    private final Source source;
    private final Processor processor;
    private RetryPolicy retryPolicy = RetryPolicy.conservative();
    private ErrorClassifier classifier;
    private DeadLetterSink sink;
    private DeadLetterFormat format = DeadLetterFormat.defaults();
    private int concurrency = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int prefetch = -1;
    private Executor executor;
    private Clock clock = Clock.systemUTC();
    private String workerId;
    private DlqMetrics metrics;
    private WorkerListener listener = WorkerListener.NONE;
    private Duration pollWait = Duration.ofSeconds(1);
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private Duration pollErrorBackoff = Duration.ofSeconds(1);
    private CircuitBreakerConfig circuit = CircuitBreakerConfig.disabled();
    private int minPollBatch = 1;
    private Duration pollLinger = Duration.ZERO;

    private Builder(Source source, Processor processor) {
      this.source = notNull(source, "source");
      this.processor = notNull(processor, "processor");
    }

    /** Default {@link RetryPolicy#conservative()}. */
    public Builder retryPolicy(RetryPolicy policy) { this.retryPolicy = notNull(policy, "retryPolicy"); return this; }

    /** Default {@link ErrorClassifier#defaults()}. */
    public Builder classifier(ErrorClassifier classifier) { this.classifier = notNull(classifier, "classifier"); return this; }

    /** Where dead letters go; required. */
    public Builder sink(DeadLetterSink sink) { this.sink = notNull(sink, "sink"); return this; }

    /** Size budgets and redaction applied to every dead letter; default {@link DeadLetterFormat#defaults()}. */
    public Builder format(DeadLetterFormat format) { this.format = notNull(format, "format"); return this; }

    /** Processor calls at once; default the number of processors, at least 2. */
    public Builder concurrency(int n) { this.concurrency = atLeast(n, 1, "concurrency"); return this; }

    /** Messages claimed beyond those running; default equal to concurrency. */
    public Builder prefetch(int n) { this.prefetch = atLeast(n, 0, "prefetch"); return this; }

    /** Runs the processing loops (one task per unit of concurrency); default a worker-owned pool of platform threads. */
    public Builder executor(Executor executor) { this.executor = notNull(executor, "executor"); return this; }

    public Builder clock(Clock clock) { this.clock = notNull(clock, "clock"); return this; }

    /** Default "worker-" and a random suffix. */
    public Builder workerId(String id) { this.workerId = dev.dlq.internal.Checks.notBlank(id, "workerId"); return this; }

    /** Default a private registry. */
    public Builder metrics(DlqMetrics metrics) { this.metrics = notNull(metrics, "metrics"); return this; }

    public Builder listener(WorkerListener listener) { this.listener = notNull(listener, "listener"); return this; }

    /** How long one poll may wait for messages; default 1 s. */
    public Builder pollWait(Duration wait) { this.pollWait = dev.dlq.internal.Checks.notNegative(wait, "pollWait"); return this; }

    /** How long {@link Worker#close()} waits for in-flight work; default 30 s. */
    public Builder shutdownTimeout(Duration timeout) { this.shutdownTimeout = dev.dlq.internal.Checks.notNegative(timeout, "shutdownTimeout"); return this; }

    /** Pause after a failed poll; default 1 s. */
    public Builder pollErrorBackoff(Duration backoff) { this.pollErrorBackoff = positive(backoff, "pollErrorBackoff"); return this; }

    /** Pauses polling while recoverable failures dominate; default disabled. */
    public Builder circuitBreaker(CircuitBreakerConfig config) { this.circuit = notNull(config, "circuitBreaker"); return this; }

    /**
     * Under load, wait up to {@code linger} for {@code minimum} free slots before polling, so that a
     * remote source is asked for real batches instead of one message per round trip. Default 1 and
     * zero: poll as soon as one slot is free. {@code minimum} is capped at the worker's capacity.
     */
    public Builder minPollBatch(int minimum, Duration linger) {
      this.minPollBatch = atLeast(minimum, 1, "minimum");
      this.pollLinger = dev.dlq.internal.Checks.notNegative(linger, "linger");
      return this;
    }

    /** @throws IllegalArgumentException when no sink was set */
    public Worker build() {
      if (sink == null) {
        throw new IllegalArgumentException("sink must be set: every worker needs somewhere to put dead letters");
      }
      EngineConfig config = new EngineConfig(source, processor, retryPolicy,
          classifier != null ? classifier : ErrorClassifier.defaults(), sink, format, concurrency,
          prefetch >= 0 ? prefetch : concurrency, executor, clock,
          workerId != null ? workerId : "worker-" + UUID.randomUUID().toString().substring(0, 8),
          metrics != null ? metrics : DlqMetrics.create(), listener, pollWait, shutdownTimeout, pollErrorBackoff,
          circuit, minPollBatch, pollLinger);
      return new Worker(new Engine(config));
    }
  }
}
