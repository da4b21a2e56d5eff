package dev.dlq.contract;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.RecordResult;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Settlement;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** Settles a delivery and waits until it is durable, rethrowing what the backend threw. For tests. */
public final class Settle {
  private Settle() {}

  /** Waits for {@code settlement} of {@code d}; returns what the sink did for a dead letter. */
  public static RecordResult now(Delivery d, Settlement settlement) {
    try {
      return d.settle(settlement).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("settling " + settlement + " took over 30 s", e);
    }
  }

  /** Completes {@code d}. */
  public static void complete(Delivery d) {
    now(d, Settlement.complete());
  }

  /** Retries {@code d} after {@code delay}. */
  public static void retry(Delivery d, Duration delay, Attempt failed) {
    now(d, Settlement.retry(delay, failed));
  }

  /** Dead-letters {@code d} into the sink its source was opened with. */
  public static RecordResult dead(Delivery d, DeadLetter dl) {
    return now(d, Settlement.dead(dl));
  }

  /** Hands {@code d} back. */
  public static void release(Delivery d) {
    now(d, Settlement.release());
  }
}
