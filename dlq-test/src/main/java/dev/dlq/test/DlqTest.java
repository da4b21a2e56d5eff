package dev.dlq.test;

import dev.dlq.Attempt;
import dev.dlq.CircuitBreakerConfig;
import dev.dlq.DeadLetter;
import dev.dlq.ErrorClassifier;
import dev.dlq.InMemory;
import dev.dlq.Message;
import dev.dlq.Processor;
import dev.dlq.RecordResult;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.spi.Checks;
import dev.dlq.spi.DlqObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drives one message through a processor the way a worker would, in memory and on a
 * {@link TestClock}, and reports what happened: the retries with their delays, and the success or
 * the dead letter. A real {@link Worker} runs over {@link InMemory}, so the retry policy, the error
 * classifier and the dead letter are exactly what production decides; the clock jumps over each
 * retry delay, so an hour of backoff takes milliseconds.
 *
 * <pre>{@code
 * RunResult r = DlqTest.run(new OrderProcessor(brokenPaymentApi))
 *     .withPolicy(RetryPolicy.fixed(Duration.ofMinutes(1), 3))
 *     .message("order.created", "{\"id\":42}");
 * assertEquals(RunResult.Settled.DEAD_LETTERED, r.settled());
 * assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMinutes(1)), r.delays());
 * assertEquals(DeadLetterReason.EXHAUSTED, r.requireDeadLetter().reason());
 * }</pre>
 *
 * <p>A policy with jitter gives random delays; use {@link dev.dlq.Jitter#NONE} to assert exact ones.
 * The circuit breaker is off (it would count one message's failures as an outage). Mutable and not
 * thread-safe; each {@code message(..)} call is a run of its own.
 */
public final class DlqTest {
  private static final String QUEUE = "dlq-test";
  /** More retries than any sane policy: a policy that never gives up ends the run here. */
  private static final int MAX_DELIVERIES = 1_000;

  private final Processor processor;
  private RetryPolicy policy = RetryPolicy.conservative();
  private ErrorClassifier classifier = ErrorClassifier.defaults();
  private Instant start = Instant.parse("2030-01-01T00:00:00Z");
  private Duration timeout = Duration.ofSeconds(30);

  private DlqTest(Processor processor) {
    this.processor = Checks.notNull(processor, "processor");
  }

  /**
   * A run of {@code processor}, with the worker's default policy ({@link RetryPolicy#conservative()})
   * and classifier until told otherwise.
   *
   * @param processor the processor under test
   * @return a run to configure, then to give a message
   * @throws IllegalArgumentException when {@code processor} is null
   */
  public static DlqTest run(Processor processor) {
    return new DlqTest(processor);
  }

  /**
   * The retry policy, as the worker would be given it.
   *
   * @param policy the policy
   * @return this run
   */
  public DlqTest withPolicy(RetryPolicy policy) {
    this.policy = Checks.notNull(policy, "policy");
    return this;
  }

  /**
   * The error classifier, as the worker would be given it; default {@link ErrorClassifier#defaults()}.
   *
   * @param classifier the classifier
   * @return this run
   */
  public DlqTest withClassifier(ErrorClassifier classifier) {
    this.classifier = Checks.notNull(classifier, "classifier");
    return this;
  }

  /**
   * Where the test clock starts; default 2030-01-01T00:00:00Z.
   *
   * @param start the clock's first instant
   * @return this run
   */
  public DlqTest startingAt(Instant start) {
    this.start = Checks.notNull(start, "start");
    return this;
  }

  /**
   * How long, in real time, one run may take before it fails (a processor that hangs); default 30 s.
   *
   * @param timeout the real-time budget; positive
   * @return this run
   */
  public DlqTest timeout(Duration timeout) {
    this.timeout = Checks.positive(timeout, "timeout");
    return this;
  }

  /**
   * Runs a message with a UTF-8 payload.
   *
   * @param type the message type
   * @param payload the payload, encoded as UTF-8
   * @return what happened
   * @throws AssertionError when the message was not settled within the timeout or after 1000 deliveries
   */
  public RunResult message(String type, String payload) {
    return message(type, Checks.notNull(payload, "payload").getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /**
   * Runs a message through the processor until it succeeds or is dead-lettered.
   *
   * @param type the message type
   * @param payload the payload
   * @param headers the message's headers
   * @return what happened
   * @throws AssertionError when the message was not settled within the timeout or after 1000 deliveries
   */
  public RunResult message(String type, byte[] payload, Map<String, String> headers) {
    Checks.notBlank(type, "type");
    Checks.notNull(payload, "payload");
    Checks.notNull(headers, "headers");
    TestClock clock = TestClock.at(start);
    InMemory mem = InMemory.create(clock);
    List<Message> deliveries = new CopyOnWriteArrayList<>();
    Events events = new Events();
    Processor recording = m -> {
      deliveries.add(m);
      return processor.process(m);
    };
    Worker worker = Worker.builder(mem.source(QUEUE), recording).sink(mem.store()).retryPolicy(policy)
        .classifier(classifier).clock(clock).concurrency(1).prefetch(0).pollWait(Duration.ofMillis(5))
        .circuitBreaker(CircuitBreakerConfig.disabled()).workerId("dlq-test")
        .shutdownTimeout(Duration.ofMillis(200)) // only a hanging processor is still running at close: interrupt it
        .observer(events).build();
    List<Attempt> failed = new ArrayList<>();
    List<Duration> delays = new ArrayList<>();
    try (Worker running = worker.start()) {
      mem.enqueue(QUEUE, null, type, payload, headers);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        Event e = events.next(deadline, deliveries::size);
        if (e instanceof Event.Retried r) {
          failed.add(r.failed());
          delays.add(r.delay());
          if (deliveries.size() >= MAX_DELIVERIES) {
            throw new AssertionError("the message was still being retried after " + MAX_DELIVERIES
                + " deliveries; does the policy ever give up?");
          }
          clock.advance(r.delay());
        } else if (e instanceof Event.Dead d) {
          List<Attempt> history = d.deadLetter().history();
          if (!history.isEmpty()) {
            failed.add(history.get(history.size() - 1)); // the attempt that gave up
          }
          return new RunResult(RunResult.Settled.DEAD_LETTERED, deliveries, failed, delays, Optional.of(d.deadLetter()),
              Duration.between(start, clock.instant()));
        } else {
          return new RunResult(RunResult.Settled.SUCCEEDED, deliveries, failed, delays, Optional.empty(),
              Duration.between(start, clock.instant()));
        }
      }
    }
  }

  /** What the worker reported, one at a time. */
  private sealed interface Event {
    record Retried(Attempt failed, Duration delay) implements Event {}

    record Dead(DeadLetter deadLetter) implements Event {}

    record Succeeded() implements Event {}
  }

  private final class Events implements DlqObserver {
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();

    Event next(long deadlineNanos, java.util.function.IntSupplier calls) {
      try {
        Event e = queue.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (e == null) {
          throw new AssertionError("the message was not settled within " + timeout + " (real time) after " + calls.getAsInt()
              + " processor call(s); does the processor hang?");
        }
        return e;
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for the message to settle", ex);
      }
    }

    @Override
    public void succeeded(Message message, Duration took) {
      queue.add(new Event.Succeeded());
    }

    @Override
    public void retried(Message message, Attempt failed, Duration delay) {
      queue.add(new Event.Retried(failed, delay));
    }

    @Override
    public void deadLettered(DeadLetter deadLetter, RecordResult result, Duration took) {
      queue.add(new Event.Dead(deadLetter));
    }
  }
}
