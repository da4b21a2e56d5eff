package dev.dlq.sqs.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The receives of one {@link Consumer} in flight: up to {@code limit} at once, together asking for
 * no more than the worker had room for when they were sent. SQS caps a receive at 10 messages, so
 * one receive at a time caps a source at 10 messages per round trip; with two or more out, one
 * round trip overlaps the next. A receive outlives the poll that sent it when an earlier one
 * answered first; the next poll collects it. Thread-safe.
 */
final class Receives {
  private final Receiver receiver;
  private final int limit;
  private final List<Receiver.Pending> inFlight = new ArrayList<>(); // guarded by this

  Receives(Receiver receiver, int limit) {
    this.receiver = receiver;
    this.limit = limit;
  }

  /** Sends receives until those in flight ask for {@code want} messages or {@code limit} are out. */
  synchronized void launch(int want, Duration wait, int visibilitySeconds) {
    int covered = 0;
    for (Receiver.Pending p : inFlight) {
      covered += p.ask();
    }
    while (inFlight.size() < limit && covered < want) {
      Receiver.Pending p = receiver.start(want - covered, wait, visibilitySeconds);
      inFlight.add(p);
      covered += p.ask();
    }
  }

  synchronized boolean isEmpty() {
    return inFlight.isEmpty();
  }

  /** Removes and returns the receives that have answered, oldest first. */
  synchronized List<Receiver.Pending> done() {
    List<Receiver.Pending> out = new ArrayList<>(inFlight.size());
    inFlight.removeIf(p -> {
      if (p.call().isDone()) {
        out.add(p);
        return true;
      }
      return false;
    });
    return out;
  }

  /** Waits up to {@code nanos} for any receive in flight to answer (or fail). */
  void awaitAny(long nanos) throws InterruptedException {
    CompletableFuture<?>[] calls;
    synchronized (this) {
      calls = inFlight.stream().map(Receiver.Pending::call).toArray(CompletableFuture[]::new);
    }
    if (calls.length == 0) {
      return;
    }
    try {
      CompletableFuture.anyOf(calls).get(nanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // a failed receive is reported by whoever collects it; a timeout leaves the receives in flight
    }
  }

  /** Waits for every receive in flight and makes what they brought visible again (interrupted poll, close). */
  void handBackAll() {
    List<Receiver.Pending> all;
    synchronized (this) {
      all = new ArrayList<>(inFlight);
      inFlight.clear();
    }
    for (Receiver.Pending p : all) {
      receiver.handBack(p.call());
    }
  }
}
