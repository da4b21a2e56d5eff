package dev.dlq.bench.memory;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterJson;
import dev.dlq.bench.Fixtures;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A dead letter to its one JSON form ({@link DeadLetterJson}) and back: a 1 KiB payload (base64 in
 * the JSON), two headers, three attempts of history and a real stack trace with a cause (about
 * 2 KiB of text). DESIGN §8 target for {@code toJson}: at most 2 µs/op.
 *
 * <pre>
 * java -jar dlq-bench/target/benchmarks.jar DeadLetterJsonBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DeadLetterJsonBenchmark {

  /** Payload size in bytes. */
  @Param({"1024"})
  public int payloadBytes;

  private DeadLetter deadLetter;
  private byte[] json;

  @Setup
  public void setup() {
    deadLetter = Fixtures.deadLetter(payloadBytes);
    json = DeadLetterJson.toJson(deadLetter);
    if (!DeadLetterJson.fromJson(json).equals(deadLetter)) {
      throw new IllegalStateException("the JSON form does not round-trip; the benchmark would measure nonsense");
    }
  }

  @Benchmark
  public byte[] toJson() {
    return DeadLetterJson.toJson(deadLetter);
  }

  @Benchmark
  public DeadLetter fromJson() {
    return DeadLetterJson.fromJson(json);
  }

  @Benchmark
  public DeadLetter roundTrip() {
    return DeadLetterJson.fromJson(DeadLetterJson.toJson(deadLetter));
  }

  /** The JSON size, printed by the drain command's report; here for reference. */
  public int jsonBytes() {
    return json.length;
  }
}
