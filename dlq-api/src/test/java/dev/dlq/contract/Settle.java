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

  /**
   * Polls {@code source} (in slices of at most 500 ms) until a message comes or {@code wait} has
   * passed; completes the first one and returns it.
   */
  public static java.util.Optional<dev.dlq.Message> takeOne(dev.dlq.spi.Source source, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    do {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      java.util.List<? extends Delivery> got = source.poll(1, Duration.ofMillis(Math.min(500, left)));
      if (!got.isEmpty()) {
        complete(got.get(0));
        return java.util.Optional.of(got.get(0).message());
      }
    } while (System.nanoTime() < deadline);
    return java.util.Optional.empty();
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

  /** Releases {@code d} to come back after {@code delay}, and waits for it. */
  public static void release(Delivery d, java.time.Duration delay) {
    now(d, Settlement.release(delay));
  }
}
