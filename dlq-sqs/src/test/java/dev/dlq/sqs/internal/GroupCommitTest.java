package dev.dlq.sqs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  @Test
  void concurrentEntriesShareCallsOfAtMostTenAndEachWaitsForItsOwn() throws Exception {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    Set<Integer> sent = ConcurrentHashMap.newKeySet();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    GroupCommit<Integer> gc = new GroupCommit<>(batch -> {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.sleep(5); // a round trip
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sizes.add(batch.size());
      sent.addAll(batch);
      inFlight.decrementAndGet();
      return new ArrayList<>(java.util.Collections.nCopies(batch.size(), null));
    }, 10, 2);
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        int n = i;
        done.add(pool.submit(() -> {
          gc.submit(n);
          assertThat(sent).contains(n); // returned only after the call that carried it
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(sent).hasSize(400);
    assertThat(sizes).allMatch(s -> s >= 1 && s <= 10);
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(400);
    assertThat(sizes.size()).as("calls for 400 entries from 32 threads").isLessThan(400);
    assertThat(maxInFlight.get()).isLessThanOrEqualTo(2);
  }

  @Test
  void anEntrysOwnFailureGoesToItsCallerOnly() {
    GroupCommit<String> gc = new GroupCommit<>(batch -> {
      List<RuntimeException> out = new ArrayList<>();
      for (String s : batch) {
        out.add(s.equals("bad") ? new IllegalStateException("refused " + s) : null);
      }
      return out;
    }, 10, 1);
    gc.submit("good");
    assertThatThrownBy(() -> gc.submit("bad")).isInstanceOf(IllegalStateException.class).hasMessage("refused bad");
  }

  @Test
  void aFailedCallFailsEveryEntryInItAndTheNextCallStillRuns() {
    AtomicInteger calls = new AtomicInteger();
    GroupCommit<String> gc = new GroupCommit<>(batch -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("network down");
      }
      return java.util.Collections.nCopies(batch.size(), null);
    }, 10, 1);
    assertThatThrownBy(() -> gc.submit("a")).hasMessage("network down");
    gc.submit("b");
    assertThat(calls).hasValue(2);
  }

  @Test
  void anInterruptedCallerStillGetsItsEntrySentAndKeepsItsFlag() {
    List<Boolean> interruptedDuringSend = new CopyOnWriteArrayList<>();
    GroupCommit<String> gc = new GroupCommit<>(batch -> {
      interruptedDuringSend.add(Thread.currentThread().isInterrupted());
      return java.util.Collections.nCopies(batch.size(), null);
    }, 10, 1);
    Thread.currentThread().interrupt();
    try {
      gc.submit("x");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(interruptedDuringSend).containsExactly(false);
  }
}
