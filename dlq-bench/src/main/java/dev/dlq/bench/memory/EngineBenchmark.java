package dev.dlq.bench.memory;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.ErrorClass;
import dev.dlq.InMemory;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RecordResult;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.Settlement;
import dev.dlq.spi.SourceContext;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The engine's own cost per message: a {@link Worker} with a no-op processor draining
 * {@value #BATCH} messages from the in-memory source, against {@code rawSourceLoop}, one thread
 * that polls the same kind of source in batches of {@code concurrency + prefetch} and settles each
 * delivery by hand (complete; or retry, then dead-letter with a minimal dead letter) with no
 * engine at all: no classifier, policy, metrics, listener, threads or hand-off. Scores are per
 * message; engine overhead = {@code worker} - {@code rawSourceLoop}. DESIGN §8 target: at most 1 µs
 * per message.
 *
 * <p>The messages are enqueued before each invocation while the worker is held at a gate (the
 * processor waits on an already-opened latch afterwards: one volatile read), so the score holds
 * polling, hand-off, processing, completion and metrics, and not enqueueing.
 *
 * <p>{@code failing}: the percentage of messages whose processor always throws (a system error);
 * with policy {@code fixed0} (3 attempts, zero backoff) each is retried twice and then
 * dead-lettered into the in-memory store, so this measures the failure path of the engine too.
 *
 * <pre>
 * java -jar dlq-bench/target/benchmarks.jar EngineBenchmark -prof gc
 * java -jar dlq-bench/target/benchmarks.jar EngineBenchmark -p concurrency=1 -p prefetch=10 -p failing=0
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {
  static final int BATCH = 10_000;

  /** Processor threads. */
  @Param({"1", "2", "8"})
  public int concurrency;

  /** Messages claimed beyond those running: with concurrency it bounds the poll batch size. */
  @Param({"10", "100"})
  public int prefetch;

  /** Percentage of messages that always fail (3 attempts, zero backoff, then dead-lettered). */
  @Param({"0", "10"})
  public int failing;

  private static final RuntimeException BOOM = new IllegalStateException("always fails");

  private InMemory mem;
  private Worker worker;
  private Source rawSource;
  private DeadLetterSink store;
  private boolean raw;
  private byte[] payload;
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile CountDownLatch done = new CountDownLatch(0);
  private int round;

  @Setup(Level.Trial)
  public void start(BenchmarkParams params) {
    mem = InMemory.create();
    payload = dev.dlq.bench.Fixtures.payload(256);
    raw = params.getBenchmark().endsWith("rawSourceLoop");
    store = mem.store();
    rawSource = mem.source("raw");
    rawSource.open(SourceContext.standalone(store, DlqObserver.NONE));
    if (raw) {
      return;
    }
    DlqObserver listener = new DlqObserver() {
      @Override
      public void succeeded(Message message, Duration took) {
        done.countDown();
      }

      @Override
      public void deadLettered(DeadLetter deadLetter, RecordResult result, Duration took) {
        done.countDown();
      }
    };
    worker = Worker.builder(mem.source("engine"), m -> {
      gate.await();
      if (failing > 0 && m.type().equals("fail")) {
        throw BOOM;
      }
      return Outcome.success();
    })
        .sink(mem.store())
        .retryPolicy(RetryPolicy.fixed(Duration.ZERO, 3))
        .concurrency(concurrency)
        .prefetch(prefetch)
        .observer(listener)
        .shutdownTimeout(Duration.ofSeconds(5))
        .build()
        .start();
  }

  @Setup(Level.Invocation)
  public void fill() {
    gate = new CountDownLatch(1);
    done = new CountDownLatch(BATCH);
    round++;
    for (int i = 0; i < BATCH; i++) {
      boolean fail = failing > 0 && i % 100 < failing;
      // unique ids: dead letters of earlier rounds must not be reopened
      mem.enqueue(raw ? "raw" : "engine", "r" + round + "-" + i, fail ? "fail" : "ok", payload, Map.of());
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void worker() throws InterruptedException {
    gate.countDown();
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the worker did not settle " + BATCH + " messages in 60 s; "
          + done.getCount() + " left");
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int rawSourceLoop() throws InterruptedException {
    int left = BATCH;
    int batch = concurrency + prefetch;
    while (left > 0) {
      List<? extends Delivery> got = rawSource.poll(Math.min(batch, left), Duration.ZERO);
      for (Delivery d : got) {
        Message m = d.message();
        if (!m.type().equals("fail")) {
          d.settle(Settlement.complete()).toCompletableFuture().join();
          left--;
        } else if (m.attempt() < 3) {
          d.settle(Settlement.retry(Duration.ZERO, new Attempt(m.attempt(), Instant.now(), ErrorClass.SYSTEM_ERROR,
              BOOM.getClass().getName(), BOOM.getMessage(), Duration.ZERO, "raw"))).toCompletableFuture().join();
        } else {
          d.settle(Settlement.dead(DeadLetter.builder(m).errorClass(ErrorClass.SYSTEM_ERROR)
              .errorType(BOOM.getClass().getName()).errorMessage(BOOM.getMessage()).maxAttempts(3)
              .history(d.history()).build())).toCompletableFuture().join();
          left--;
        }
      }
    }
    return left;
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (worker != null) {
      worker.close();
    }
  }
}
