package dev.dlq.bench.postgres;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Settling one claimed task of dlq's PostgreSQL task table, alone (no other settle to share the
 * commit with, so this is the latency of one durable outcome, commit included):
 *
 * <ul>
 *   <li>{@code complete}: delete the task;</li>
 *   <li>{@code failAndReschedule}: a failed attempt, rescheduled at once with its error and history
 *       ({@code Delivery.retry});</li>
 *   <li>{@code deadLetter}: mark the task DEAD and insert its dead letter into the schema's own
 *       dead-letter table, in one transaction ({@code Delivery.deadLetter} with the queue's store).</li>
 * </ul>
 *
 * <p>The task is claimed before each invocation (untimed). In a running worker concurrent settles
 * share one commit (group commit); the end-to-end drain measures that.
 *
 * <pre>
 * java -jar dlq-bench/target/benchmarks.jar PostgresSettleBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PostgresSettleBenchmark {
  private BenchQueue q;
  private Source source;
  private DeadLetterSink store;
  private Delivery claimed;
  private boolean consumes;

  @Setup(Level.Trial)
  public void open(BenchmarkParams params) throws Exception {
    q = new BenchQueue("dlq_jmh_settle", 0, 1);
    source = q.queue.source();
    store = q.queue.deadLetterStore();
    consumes = !params.getBenchmark().endsWith("failAndReschedule");
  }

  @Setup(Level.Invocation)
  public void claimOne() throws InterruptedException {
    q.ensureReady(1);
    List<? extends Delivery> got = source.poll(1, Duration.ZERO);
    if (got.size() != 1) {
      throw new IllegalStateException("claimed " + got.size() + " of 1 ready task");
    }
    claimed = got.get(0);
    if (consumes) {
      q.took(1);
    }
  }

  @Benchmark
  public void complete() {
    claimed.settle(dev.dlq.spi.Settlement.complete()).toCompletableFuture().join();
  }

  @Benchmark
  public void failAndReschedule() {
    Message m = claimed.message();
    claimed.settle(dev.dlq.spi.Settlement.retry(Duration.ZERO, new Attempt(m.attempt(), Instant.now(),
        ErrorClass.RECOVERABLE, "java.net.SocketTimeoutException", "read timed out", Duration.ofMillis(3), "jmh")))
        .toCompletableFuture().join();
  }

  @Benchmark
  public RecordResult deadLetter() {
    Message m = claimed.message();
    DeadLetter dl = DeadLetter.builder(m)
        .errorClass(ErrorClass.SYSTEM_ERROR)
        .errorType("java.lang.IllegalStateException")
        .errorMessage("always fails")
        .stackTrace("java.lang.IllegalStateException: always fails\n\tat dev.dlq.bench.Jmh.run(Jmh.java:1)\n")
        .maxAttempts(m.attempt())
        .workerId("jmh")
        .reason(DeadLetterReason.EXHAUSTED)
        .history(claimed.history())
        .build();
    return claimed.settle(dev.dlq.spi.Settlement.dead(dl)).toCompletableFuture().join();
  }

  @TearDown(Level.Iteration)
  public void clean() throws Exception {
    q.clean();
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    source.close();
    q.close();
  }
}
