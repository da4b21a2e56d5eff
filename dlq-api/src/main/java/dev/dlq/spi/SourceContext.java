package dev.dlq.spi;

import dev.dlq.DeadLetterFormat;
import dev.dlq.ErrorClass;
import java.time.Clock;
import java.util.Optional;

/**
 * What a {@link dev.dlq.Worker} tells its {@link Source} when it opens it: everything a backend
 * needs that the user states once, on the worker. Immutable and thread-safe.
 */
public interface SourceContext {

  /**
   * The context of a source used without a worker (tests, tools that poll by hand): dead letters go
   * to {@code sink}, events to {@code observer}, no crash backstop is derived (the backend keeps its
   * default), the system clock, default format, worker id "standalone".
   *
   * @param sink where dead letters go
   * @param observer where events go; {@link DlqObserver#NONE} for none
   * @return the context, with an unbounded attempt budget for every error class
   * @throws IllegalArgumentException when an argument is null
   */
  static SourceContext standalone(DeadLetterSink sink, DlqObserver observer) {
    Checks.notNull(sink, "sink");
    Checks.notNull(observer, "observer");
    return new SourceContext() {
      @Override public String workerId() { return "standalone"; }
      @Override public Clock clock() { return Clock.systemUTC(); }
      @Override public DlqObserver observer() { return observer; }
      @Override public DeadLetterSink sink() { return sink; }
      @Override public boolean sinkSharesTransaction() { return false; }
      @Override public DeadLetterFormat format() { return DeadLetterFormat.defaults(); }
      @Override public int attemptBudget(ErrorClass errorClass) { return Integer.MAX_VALUE; }
      @Override public Optional<Integer> crashBackstop() { return Optional.empty(); }
    };
  }

  /**
   * The worker's id: stable across restarts when the user gives one, recorded on attempts and dead letters.
   *
   * @return the id
   */
  String workerId();

  /**
   * The clock that decides run-at times, leases and breaker pauses.
   *
   * @return the worker's clock
   */
  Clock clock();

  /**
   * Where to report every state transition the source causes itself (reaper deaths, gauges).
   *
   * @return the worker's observers, combined into one
   */
  DlqObserver observer();

  /**
   * Where the worker records dead letters.
   *
   * @return the sink
   */
  DeadLetterSink sink();

  /**
   * Whether {@link #sink()} declared that it writes in the same transaction scope as this source
   * ({@link DeadLetterSink#transactionScope()} equals {@link Source#transactionScope()}): a dead
   * letter and the message's own state change may then be written in one transaction.
   *
   * @return true when both declare the same scope
   */
  boolean sinkSharesTransaction();

  /**
   * Budgets and redaction for dead letters the source writes itself (crash loops, advisories).
   *
   * @return the worker's format
   */
  DeadLetterFormat format();

  /**
   * The retry policy's attempt budget for failures of {@code errorClass}: attempts in all, at least 1.
   *
   * @param errorClass the class of failure
   * @return the budget; {@link Integer#MAX_VALUE} when the policy states none
   */
  int attemptBudget(ErrorClass errorClass);

  /**
   * The most attempts the policy allows for any error class, which a backend uses as its crash
   * backstop (PostgreSQL's max_attempts, SQS's receive count, NATS's max deliveries): a message
   * delivered this often without an outcome is dead-lettered as LEASE_EXPIRED. Empty when the policy
   * states no bound (a custom policy); the backend then keeps its own default.
   *
   * @return the backstop, or empty
   */
  Optional<Integer> crashBackstop();
}
