package dev.dlq.internal.engine;

import dev.dlq.DeadLetterFormat;
import dev.dlq.ErrorClass;
import dev.dlq.RetryPolicy;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.SourceContext;
import java.time.Clock;
import java.util.Optional;

/** The {@link SourceContext} a worker opens its source with. */
record WorkerContext(String workerId, Clock clock, DlqObserver observer, DeadLetterSink sink,
    boolean sinkSharesTransaction, DeadLetterFormat format, RetryPolicy policy) implements SourceContext {

  static WorkerContext of(EngineConfig c) {
    Optional<String> sourceScope = c.source().transactionScope();
    boolean shared = sourceScope.isPresent() && sourceScope.equals(c.sink().transactionScope());
    return new WorkerContext(c.workerId(), c.clock(), c.observer(), c.sink(), shared, c.format(), c.retryPolicy());
  }

  @Override
  public int attemptBudget(ErrorClass errorClass) {
    return Math.max(1, policy.maxAttempts(errorClass));
  }

  @Override
  public Optional<Integer> crashBackstop() {
    int most = 1;
    for (ErrorClass ec : ErrorClass.values()) {
      int n = policy.maxAttempts(ec);
      if (n == Integer.MAX_VALUE) {
        return Optional.empty();
      }
      most = Math.max(most, n);
    }
    return Optional.of(most);
  }
}
