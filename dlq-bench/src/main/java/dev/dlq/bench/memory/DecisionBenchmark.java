package dev.dlq.bench.memory;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.ErrorClass;
import dev.dlq.ErrorClassifier;
import dev.dlq.Failure;
import dev.dlq.Message;
import dev.dlq.RetryDecision;
import dev.dlq.RetryPolicy;
import dev.dlq.bench.Fixtures;
import dev.dlq.internal.engine.DeadLetters;
import dev.dlq.internal.engine.Decider;
import dev.dlq.spi.Settlement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * The decision path the engine takes for every failed message: classify the throwable, ask the
 * retry policy, and, when it gives up, build the dead letter and apply the format's budgets.
 * DESIGN §8 target: at most 200 ns/op.
 *
 * <ul>
 *   <li>{@code decide}: classify + policy, on the first attempt (a retry for recoverable and
 *       system errors, a give-up for user errors).</li>
 *   <li>{@code decideAndBuild}: classify + policy on the last attempt (a give-up) +
 *       {@code DeadLetter.builder(..).build()} + {@code DeadLetterFormat.apply}, public API only,
 *       with the error text and stack trace the engine would have rendered already at hand.</li>
 *   <li>{@code decideAndBuildAsEngine}: the same, but the dead letter built exactly as the engine
 *       builds it ({@code dev.dlq.internal.engine.DeadLetters.build}): it renders the bounded stack
 *       trace with its causes and computes the failure fingerprint, which {@code decideAndBuild}
 *       leaves out.</li>
 * </ul>
 *
 * <p>The throwable is thrown once in setup: creating it is the processor's cost, not dlq's.
 *
 * <pre>
 * java -jar dlq-bench/target/benchmarks.jar DecisionBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecisionBenchmark {

  /** Which built-in policy decides. */
  @Param({"conservative", "aggressive"})
  public String policy;

  /** What the processor threw: recoverable (SocketTimeoutException), user (IllegalArgumentException), system (IllegalStateException with a cause). */
  @Param({"recoverable", "user", "system"})
  public String error;

  private ErrorClassifier classifier;
  private RetryPolicy retryPolicy;
  private DeadLetterFormat format;
  private Throwable thrown;
  private Message first;
  private Message last;
  private String errorType;
  private String errorMessage;
  private String stackTrace;
  private List<Attempt> earlier;
  private Instant now;
  private Decider decider;

  @Setup
  public void setup() {
    classifier = ErrorClassifier.defaults();
    retryPolicy = "aggressive".equals(policy) ? RetryPolicy.aggressive() : RetryPolicy.conservative();
    format = DeadLetterFormat.defaults();
    thrown = Fixtures.thrown(error);
    int max = retryPolicy.maxAttempts(classifier.classify(thrown));
    first = Fixtures.message("m-1", 1024, 1);
    last = Fixtures.message("m-1", 1024, Math.min(max, 5));
    errorType = thrown.getClass().getName();
    errorMessage = String.valueOf(thrown.getMessage());
    stackTrace = DeadLetters.stackTrace(thrown, format.maxStackTraceChars());
    now = Fixtures.T0.plusSeconds(10);
    Attempt a = new Attempt(1, Fixtures.T0, ErrorClass.SYSTEM_ERROR, errorType, errorMessage, Duration.ofMillis(2), "w");
    earlier = List.of(a, new Attempt(2, Fixtures.T0.plusSeconds(1), ErrorClass.SYSTEM_ERROR, errorType, errorMessage,
        Duration.ofMillis(2), "w"));
    decider = new Decider(retryPolicy, classifier, format, "worker-bench", java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
  }

  /** The engine's decision step itself on a first failure: classify, decide, the Settlement (a retry, or a dead letter for user errors). */
  @Benchmark
  public Settlement decider() {
    return decider.onThrowable(first, List::of, thrown, 2_000_000);
  }

  /** The engine's decision step on the last allowed attempt: classify, decide, build the dead letter as the engine does. */
  @Benchmark
  public Settlement deciderAtTheLastAttempt() {
    return decider.onThrowable(last, () -> earlier, thrown, 2_000_000);
  }

  @Benchmark
  public RetryDecision decide() {
    ErrorClass ec = classifier.classify(thrown);
    return retryPolicy.decide(Failure.of(first, ec, thrown));
  }

  @Benchmark
  public Object decideAndBuild() {
    ErrorClass ec = classifier.classify(thrown);
    RetryDecision d = retryPolicy.decide(Failure.of(last, ec, thrown));
    if (!(d instanceof RetryDecision.GiveUp g)) {
      return d;
    }
    DeadLetter dl = DeadLetter.builder(last)
        .errorClass(ec)
        .errorType(errorType)
        .errorMessage(errorMessage)
        .stackTrace(stackTrace)
        .maxAttempts(retryPolicy.maxAttempts(ec))
        .deadAt(now)
        .workerId("worker-bench")
        .reason(g.reason())
        .history(earlier)
        .build();
    return format.apply(dl);
  }

  @Benchmark
  public Object decideAndBuildAsEngine() {
    ErrorClass ec = classifier.classify(thrown);
    RetryDecision d = retryPolicy.decide(Failure.of(last, ec, thrown));
    if (!(d instanceof RetryDecision.GiveUp g)) {
      return d;
    }
    Attempt current = new Attempt(last.attempt(), now, ec, errorType, errorMessage, Duration.ofMillis(2), "worker-bench");
    return DeadLetters.build(last, ec, thrown, null, null, g.reason(), retryPolicy.maxAttempts(ec), earlier, current,
        now, "worker-bench", format);
  }
}
