package dev.dlq;


import dev.dlq.internal.engine.Engine;
import dev.dlq.internal.engine.EngineConfig;
import dev.dlq.spi.Checks;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.Source;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The engine: polls a {@link Source}, runs the {@link Processor}, and settles every message:
 * success completes it; a failure is classified and the {@link RetryPolicy} retries it with a delay
 * or gives up; what gives up is recorded in the dead-letter sink before it leaves its source.
 *
 * <p>The worker owns its source: {@link #start()} opens it with the worker's context (attempt
 * budget, observer, clock, worker id, sink), so each of these is stated once, here, and the backend
 * derives its crash backstop from the retry policy. {@link #close()} closes it. The sink defaults to
 * the source's own store where it has one (a PostgreSQL queue's table, the NATS DLQ stream).
 *
 * <p>Concurrency is bounded: at most {@code concurrency} processor calls run at once and at most
 * {@code concurrency + prefetch} messages are claimed and not yet durably settled; the worker never
 * polls for more than its free capacity. While a processor runs, leases are extended. The circuit
 * breaker is on by default ({@link CircuitBreakerConfig#defaults()}): an outage pauses polling instead
 * of spending retries. {@link #close()} stops polling, hands back what was claimed but not started,
 * waits for in-flight work up to the shutdown timeout, then interrupts it and hands it back too.
 *
 * <pre>{@code
 * try (Worker worker = Worker.builder(queue.source(), processor)
 *     .retryPolicy(RetryPolicy.exponential(Duration.ofMillis(200), Duration.ofSeconds(30), 5))
 *     .observer(metrics)
 *     .workerId("billing-1")
 *     .build()
 *     .start()) {
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

  /**
   * A builder for a worker that owns {@code source} and runs {@code processor}.
   *
   * @param source where messages come from; the worker opens and closes it
   * @param processor the application code run for every message
   * @return a new builder with every other setting at its default
   * @throws IllegalArgumentException when an argument is null
   */
  public static Builder builder(Source source, Processor processor) {
    return new Builder(source, processor);
  }

  /**
   * Opens the source and starts polling.
   *
   * @return this worker
   * @throws IllegalStateException when already started or closed
   * @throws DlqException when the source cannot be opened (its backend is unreachable or not set up)
   */
  public Worker start() {
    engine.start();
    return this;
  }

  /**
   * This worker's id (recorded on attempts and dead letters, and the worker label of its metrics).
   *
   * @return the id set with {@link Builder#workerId(String)}, or the default one
   */
  public String id() {
    return engine.config().workerId();
  }

  /**
   * Messages claimed and not yet durably settled.
   *
   * @return their number at the time of the call
   */
  public int inFlight() {
    return engine.inFlight();
  }

  /**
   * The circuit breaker's state.
   *
   * @return the state at the time of the call
   */
  public CircuitState circuitState() {
    return engine.circuitState();
  }

  /**
   * Stops polling, releases claimed-but-unstarted messages, waits up to the shutdown timeout for
   * in-flight ones, then interrupts and releases them, waits for settlements to be durable and
   * closes the source. Returns whether everything finished in time.
   *
   * @return true when in-flight work finished within the shutdown timeout and every settlement
   *     became durable, or the worker was never started or is already shut down; false when work
   *     had to be interrupted, a settlement was not durable in time, or the calling thread was
   *     interrupted
   */
  public boolean shutdown() {
    return engine.shutdown();
  }

  /** {@link #shutdown()}. */
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
    /** Probing with one message after the pause. */
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
    private int concurrency = DEFAULT_CONCURRENCY;
    private int prefetch = -1;
    private Executor executor;
    private Clock clock = Clock.systemUTC();
    private String workerId;
    private final List<DlqObserver> observers = new ArrayList<>();
    private Duration pollWait = Duration.ofSeconds(1);
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private Duration pollErrorBackoff = Duration.ofSeconds(1);
    private CircuitBreakerConfig circuit = CircuitBreakerConfig.defaults();
    private int minPollBatch = 1;
    private Duration pollLinger = Duration.ZERO;

    private Builder(Source source, Processor processor) {
      this.source = Checks.notNull(source, "source");
      this.processor = Checks.notNull(processor, "processor");
    }

    /**
     * The retry policy, which also states the attempt budget; default {@link RetryPolicy#conservative()}.
     *
     * @param policy the policy
     * @return this builder
     * @throws IllegalArgumentException when {@code policy} is null
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Checks.notNull(policy, "retryPolicy");
      return this;
    }

    /**
     * The classifier that sorts failures into {@link ErrorClass}es; default
     * {@link ErrorClassifier#defaults()}.
     *
     * @param classifier the classifier
     * @return this builder
     * @throws IllegalArgumentException when {@code classifier} is null
     */
    public Builder classifier(ErrorClassifier classifier) {
      this.classifier = Checks.notNull(classifier, "classifier");
      return this;
    }

    /**
     * Where dead letters go; default the source's own store ({@link Source#defaultSink()}).
     *
     * @param sink the sink
     * @return this builder
     * @throws IllegalArgumentException when {@code sink} is null
     */
    public Builder sink(DeadLetterSink sink) {
      this.sink = Checks.notNull(sink, "sink");
      return this;
    }

    /**
     * Size budgets and redaction applied to every dead letter; default {@link DeadLetterFormat#defaults()}.
     *
     * @param format the format
     * @return this builder
     * @throws IllegalArgumentException when {@code format} is null
     */
    public Builder format(DeadLetterFormat format) {
      this.format = Checks.notNull(format, "format");
      return this;
    }

    /**
     * Processor calls at once; default 16. A processor that waits on I/O (HTTP, a database) wants
     * more: about the calls a second you need times the seconds one call takes.
     *
     * @param n the number of processor calls that may run at once
     * @return this builder
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public Builder concurrency(int n) {
      this.concurrency = Checks.atLeast(n, 1, "concurrency");
      return this;
    }

    /**
     * Messages claimed beyond those running; default {@link Source#defaultPrefetch the source's
     * choice}, which is the concurrency for most sources and deeper for a PostgreSQL queue (whose
     * settlements are group-committed).
     *
     * @param n the number of messages claimed ahead; 0 claims only what can run at once
     * @return this builder
     * @throws IllegalArgumentException when {@code n} is negative
     */
    public Builder prefetch(int n) {
      this.prefetch = Checks.atLeast(n, 0, "prefetch");
      return this;
    }

    /**
     * Runs the processing loops (one task per unit of concurrency); default a worker-owned pool of
     * platform threads.
     *
     * @param executor the executor
     * @return this builder
     * @throws IllegalArgumentException when {@code executor} is null
     */
    public Builder executor(Executor executor) {
      this.executor = Checks.notNull(executor, "executor");
      return this;
    }

    /**
     * The clock for attempt times and breaker pauses; default the UTC system clock.
     *
     * @param clock the clock
     * @return this builder
     * @throws IllegalArgumentException when {@code clock} is null
     */
    public Builder clock(Clock clock) {
      this.clock = Checks.notNull(clock, "clock");
      return this;
    }

    /**
     * The worker's id, recorded on attempts and dead letters and used as the worker label of its
     * metrics: give a stable one (a pod name, "billing-1"). Default the source's name and the host name.
     *
     * @param id the worker id
     * @return this builder
     * @throws IllegalArgumentException when {@code id} is null or blank
     */
    public Builder workerId(String id) {
      this.workerId = Checks.notBlank(id, "workerId");
      return this;
    }

    /**
     * Adds an observer of every state transition: metrics ({@code dlq-prometheus},
     * {@code dlq-micrometer}), tracing, a progress display. The worker hands it to its source too,
     * so deaths the backend finds itself (a crash loop) are reported once, on the same channel.
     *
     * @param observer the observer, added to those already set
     * @return this builder
     * @throws IllegalArgumentException when {@code observer} is null
     */
    public Builder observer(DlqObserver observer) {
      this.observers.add(Checks.notNull(observer, "observer"));
      return this;
    }

    /**
     * How long one poll may wait for messages; default 1 s.
     *
     * @param wait the longest wait
     * @return this builder
     * @throws IllegalArgumentException when {@code wait} is null or negative
     */
    public Builder pollWait(Duration wait) {
      this.pollWait = Checks.notNegative(wait, "pollWait");
      return this;
    }

    /**
     * How long {@link Worker#close()} waits for in-flight work; default 30 s.
     *
     * @param timeout the longest wait before in-flight work is interrupted
     * @return this builder
     * @throws IllegalArgumentException when {@code timeout} is null or negative
     */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = Checks.notNegative(timeout, "shutdownTimeout");
      return this;
    }

    /**
     * Pause after a failed poll; default 1 s.
     *
     * @param backoff the pause
     * @return this builder
     * @throws IllegalArgumentException when {@code backoff} is null, zero or negative
     */
    public Builder pollErrorBackoff(Duration backoff) {
      this.pollErrorBackoff = Checks.positive(backoff, "pollErrorBackoff");
      return this;
    }

    /**
     * Pauses polling while recoverable failures dominate; default {@link CircuitBreakerConfig#defaults()}.
     *
     * @param config the breaker's settings; {@link CircuitBreakerConfig#disabled()} turns it off
     * @return this builder
     * @throws IllegalArgumentException when {@code config} is null
     */
    public Builder circuitBreaker(CircuitBreakerConfig config) {
      this.circuit = Checks.notNull(config, "circuitBreaker");
      return this;
    }

    /**
     * Under load, wait up to {@code linger} for {@code minimum} free slots before polling, so that a
     * remote source is asked for real batches instead of one message per round trip. Default 1 and
     * zero: poll as soon as one slot is free. {@code minimum} is capped at the worker's capacity.
     *
     * @param minimum the free slots to wait for before polling
     * @param linger the longest wait for them
     * @return this builder
     * @throws IllegalArgumentException when {@code minimum} is below 1, or {@code linger} is null or
     *     negative
     */
    public Builder minPollBatch(int minimum, Duration linger) {
      this.minPollBatch = Checks.atLeast(minimum, 1, "minimum");
      this.pollLinger = Checks.notNegative(linger, "linger");
      return this;
    }

    /**
     * Builds the worker; {@link Worker#start()} opens the source.
     *
     * @return a new worker, not started
     * @throws IllegalArgumentException when no sink was set and the source has none of its own
     */
    public Worker build() {
      DeadLetterSink s = sink != null ? sink : source.defaultSink().orElseThrow(() -> new IllegalArgumentException(
          "sink must be set: source " + source.name() + " has no dead-letter store of its own"));
      EngineConfig config = new EngineConfig(source, processor, retryPolicy,
          classifier != null ? classifier : ErrorClassifier.defaults(), s, format, concurrency,
          prefetch >= 0 ? prefetch : Math.max(0, source.defaultPrefetch(concurrency)), executor, clock,
          workerId != null ? workerId : defaultWorkerId(source), DlqObserver.of(observers.toArray(new DlqObserver[0])),
          pollWait, shutdownTimeout, pollErrorBackoff, circuit, minPollBatch, pollLinger);
      return new Worker(new Engine(config));
    }

    private static String defaultWorkerId(Source source) {
      String host = System.getenv("HOSTNAME");
      if (host == null || host.isBlank()) {
        try {
          host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | RuntimeException e) {
          host = "localhost";
        }
      }
      return source.name() + "@" + host;
    }
  }

  /** The default concurrency: enough that settling, which waits for a commit, does not idle the CPU. */
  static final int DEFAULT_CONCURRENCY = 16;
}
