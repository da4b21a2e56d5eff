package dev.dlq.bench.drain;

/**
 * One system draining the same work: {@code n} no-op tasks, of which those with
 * {@code i % 100 < failingPercent} always fail (3 retries with zero backoff, then dead).
 * The drain command calls {@link #prepare} (untimed), then {@link #drain} (timed), then
 * {@link #close}; one instance per round.
 */
public interface Contender extends AutoCloseable {

  /** The name printed on this system's line. */
  String name();

  /** Creates fresh tables (or queues) and enqueues the tasks; not timed. */
  void prepare(Work work) throws Exception;

  /**
   * Starts the system, waits until every task has left the queue (completed, or dead after its
   * last retry), stops it. The clock runs from just before the start until the last task has left
   * the queue; stopping the system is not timed.
   *
   * @return what happened and how long it took, checked by the caller against {@code work}
   */
  Result drain(Work work) throws Exception;

  @Override
  default void close() throws Exception {}

  /**
   * CPU time used so far by processes of this contender outside the bench JVM (graphile-worker's
   * Node process), in nanoseconds; the drain adds its growth to the {@code jvm} column. 0 when none.
   */
  default long externalCpuNanos() {
    return 0;
  }

  /** Whether task {@code i} is one of the always-failing ones. */
  static boolean failing(int i, int failingPercent) {
    return i % 100 < failingPercent;
  }

  /**
   * Waits, sleeping {@code pollMillis} between checks, until {@code done} holds.
   *
   * @throws IllegalStateException when {@code timeout} passes first, naming {@code what}
   */
  static void await(Check done, java.time.Duration timeout, long pollMillis, String what) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.holds()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("gave up after " + timeout + " waiting for " + what);
      }
      Thread.sleep(pollMillis);
    }
  }

  /** A condition that may query a database. */
  @FunctionalInterface
  interface Check {
    boolean holds() throws Exception;
  }

  /**
   * The work: how many tasks, which fail, how many attempts a failing one gets, and how long a
   * drain may take before it is declared stuck.
   */
  record Work(int n, int failingPercent, int maxAttempts, java.time.Duration timeout, Runnable onDrained) {
    public Work(int n, int failingPercent, int maxAttempts, java.time.Duration timeout) {
      this(n, failingPercent, maxAttempts, timeout, () -> {});
    }

    /** Contenders call this when their clock stops, before they stop the system (diagnostics read its threads). */
    public void drained() {
      onDrained.run();
    }

    /** Attempts in all for a failing task: the first one plus 3 retries. */
    public static final int ATTEMPTS = 4;

    public int expectedDead() {
      int dead = 0;
      for (int i = 0; i < n; i++) {
        if (failing(i, failingPercent)) {
          dead++;
        }
      }
      return dead;
    }

    /** Processor calls in all: one per succeeding task, maxAttempts per failing one. */
    public long expectedExecutions() {
      int dead = expectedDead();
      return (long) (n - dead) + (long) dead * maxAttempts;
    }
  }

  /**
   * What a drain did.
   *
   * @param completed tasks that succeeded
   * @param dead tasks given up after their last attempt (db-scheduler: deleted; dlq: dead-lettered)
   * @param executions processor calls
   * @param left tasks still in the queue at the end (0 when all went well)
   * @param nanos from the start until the last task left the queue
   */
  record Result(long completed, long dead, long executions, long left, long nanos) {}
}
