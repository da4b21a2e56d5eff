package dev.dlq.contract;

import dev.dlq.DeadLetterFormat;
import dev.dlq.ErrorClass;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.Source;
import dev.dlq.spi.SourceContext;
import java.time.Clock;
import java.util.Optional;

/**
 * A {@link SourceContext} for tests that open a source without a worker.
 *
 * @param sink where dead letters go
 * @param sinkSharesTransaction whether the sink declared the source's transaction scope
 * @param observer where events go
 * @param backstop the crash backstop, or 0 for none
 */
public record TestContext(DeadLetterSink sink, boolean sinkSharesTransaction, DlqObserver observer, int backstop)
    implements SourceContext {

  /** A context for {@code source} with {@code sink}, comparing their transaction scopes as a worker does. */
  public static TestContext of(Source source, DeadLetterSink sink) {
    boolean shared = source.transactionScope().isPresent() && source.transactionScope().equals(sink.transactionScope());
    return new TestContext(sink, shared, DlqObserver.NONE, 5);
  }

  /** The same with {@code observer}. */
  public TestContext withObserver(DlqObserver o) {
    return new TestContext(sink, sinkSharesTransaction, o, backstop);
  }

  /** The same with crash backstop {@code n}. */
  public TestContext withBackstop(int n) {
    return new TestContext(sink, sinkSharesTransaction, observer, n);
  }

  @Override
  public String workerId() {
    return "contract";
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public DeadLetterFormat format() {
    return DeadLetterFormat.defaults();
  }

  @Override
  public int attemptBudget(ErrorClass errorClass) {
    return backstop > 0 ? backstop : Integer.MAX_VALUE;
  }

  @Override
  public Optional<Integer> crashBackstop() {
    return backstop > 0 ? Optional.of(backstop) : Optional.empty();
  }
}
