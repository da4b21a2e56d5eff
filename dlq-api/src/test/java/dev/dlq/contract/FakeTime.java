package dev.dlq.contract;

import dev.dlq.ReplayRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that only moves when the runner sleeps, so ramps and canary waits take no real time.
 * {@link #onSleep} runs a test's hook at every sleep (kill, pause, make replays die again).
 */
public final class FakeTime extends Clock implements ReplayRunner.Sleeper {
  /** Runs at every sleep, after the clock moved; may throw to simulate a crash. */
  @FunctionalInterface
  public interface Hook {
    void run(int sleeps, Duration slept) throws InterruptedException;
  }

  private volatile Instant now = Instant.parse("2026-03-01T12:00:00Z");
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private volatile Hook hook = (n, d) -> {};

  public void onSleep(Hook hook) {
    this.hook = hook;
  }

  /** Every sleep so far, in order. */
  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  @Override
  public void sleep(Duration d) throws InterruptedException {
    now = now.plus(d);
    sleeps.add(d);
    hook.run(sleeps.size(), d);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
