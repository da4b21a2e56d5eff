package dev.dlq.test;

import dev.dlq.spi.Checks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it. Give it to a worker, an in-memory backend or a
 * queue builder (every {@code clock(..)} setting of dlq) to make retry delays pass instantly.
 * Thread-safe.
 */
public final class TestClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private TestClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * A clock standing at {@code start}, in UTC.
   *
   * @param start the instant it shows until moved
   * @return a new clock
   * @throws IllegalArgumentException when {@code start} is null
   */
  public static TestClock at(Instant start) {
    return new TestClock(new AtomicReference<>(Checks.notNull(start, "start")), ZoneOffset.UTC);
  }

  /**
   * Moves the clock forward by {@code by}.
   *
   * @param by how far; zero or more
   * @return the new instant
   * @throws IllegalArgumentException when {@code by} is null or negative
   */
  public Instant advance(Duration by) {
    Checks.notNegative(by, "by");
    return now.updateAndGet(i -> i.plus(by));
  }

  /**
   * The instant the clock shows.
   *
   * @return the current instant
   */
  @Override
  public Instant instant() {
    return now.get();
  }

  /**
   * The clock's zone.
   *
   * @return the zone
   */
  @Override
  public ZoneId getZone() {
    return zone;
  }

  /**
   * The same clock (moving one moves the other) in {@code zone}.
   *
   * @param zone the zone
   * @return a clock sharing this one's instant
   */
  @Override
  public Clock withZone(ZoneId zone) {
    return new TestClock(now, zone);
  }
}
