package dev.dlq.bench.postgres;

import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One batch claim on dlq's PostgreSQL task table: {@code Source.poll(batch, 0)} of a
 * {@code PostgresQueue} source, that is one {@code UPDATE .. WHERE id IN (SELECT .. FOR UPDATE SKIP
 * LOCKED) RETURNING ..} plus decoding the rows into deliveries (the queue's claim batch is set to
 * {@code batch}, so no poll is served from rows prefetched by the last). Score per claim call; divide by
 * {@code batch} for the cost per task. {@code headers}: 0, or 2 headers per task (decoding a
 * non-empty headers column parses JSON).
 *
 * <p>Claimed tasks are left claimed and deleted after each iteration; ready tasks are topped up
 * between invocations (untimed). PostgreSQL: {@code DLQ_BENCH_POSTGRES_URL}, else 127.0.0.1:5432,
 * else embedded; schema {@code dlq_jmh_claim}, dropped at the start.
 *
 * <pre>
 * java -jar dlq-bench/target/benchmarks.jar PostgresClaimBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PostgresClaimBenchmark {

  @Param({"1", "10", "100"})
  public int batch;

  @Param({"0", "2"})
  public int headers;

  private BenchQueue q;
  private Source source;

  @Setup(Level.Trial)
  public void open() throws Exception {
    q = new BenchQueue("dlq_jmh_claim", headers, batch);
    source = q.queue.source();
  }

  @Setup(Level.Invocation)
  public void topUp() {
    q.ensureReady(batch);
  }

  @Benchmark
  public List<? extends Delivery> claim() throws InterruptedException {
    List<? extends Delivery> got = source.poll(batch, Duration.ZERO);
    if (got.size() != batch) {
      throw new IllegalStateException("claimed " + got.size() + " of " + batch + " ready tasks");
    }
    q.took(got.size());
    return got;
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
