package dev.dlq.alerts;

import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.Page;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.Checks;
import dev.dlq.spi.DeadLetterStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery queue of the seeds: replays RECOVERABLE dead letters by itself once they have been
 * dead for a cool-down (the outage is probably over), at most {@code maxReplays} times per dead
 * letter (counted by the store's replay count, so restarts do not reset it), at most
 * {@code maxPerRun} per run and {@code ratePerSecond} messages a second, through
 * {@link DeadLetterStore#replay} (audited under operator {@value #OPERATOR}). A dead letter that
 * died again after its last allowed replay stays PENDING for a person, and a REOPENED alert rule
 * tells them.
 *
 * <pre>{@code
 * AutoRecovery recovery = AutoRecovery.builder(store)
 *     .coolDown(Duration.ofMinutes(10)).maxReplays(3).maxPerRun(100).ratePerSecond(10)
 *     .build().start(Duration.ofMinutes(1));
 * }</pre>
 *
 * Thread-safe.
 */
public final class AutoRecovery implements AutoCloseable {
  /** The operator recorded in the audit log. */
  public static final String OPERATOR = "dlq-auto-recovery";
  private static final Logger log = LoggerFactory.getLogger(AutoRecovery.class);

  private final DeadLetterStore store;
  private final Duration coolDown;
  private final int maxReplays;
  private final int maxPerRun;
  private final double rate;
  private final Clock clock;
  private ScheduledExecutorService timer;

  private AutoRecovery(Builder b) {
    this.store = b.store;
    this.coolDown = b.coolDown;
    this.maxReplays = b.maxReplays;
    this.maxPerRun = b.maxPerRun;
    this.rate = b.rate;
    this.clock = b.clock;
  }

  /**
   * A builder over {@code store}.
   *
   * @param store the dead-letter store whose RECOVERABLE dead letters are replayed
   * @return a builder
   */
  public static Builder builder(DeadLetterStore store) {
    return new Builder(Checks.notNull(store, "store"));
  }

  /**
   * Replays what is due now, once.
   *
   * @return what the replay did (matched 0 when nothing was due)
   * @throws dev.dlq.DlqException when the store fails
   */
  public synchronized ReplayResult runOnce() {
    Instant cutoff = clock.instant().minus(coolDown);
    DeadLetterFilter due = DeadLetterFilter.builder().status(DeadLetterStatus.PENDING)
        .errorClass(ErrorClass.RECOVERABLE).deadBefore(cutoff).build();
    List<String> ids = new ArrayList<>();
    DeadLetterQuery q = DeadLetterQuery.of(due, Math.min(DeadLetterQuery.MAX_LIMIT, maxPerRun));
    for (int pages = 0; pages < 100 && ids.size() < maxPerRun; pages++) {
      Page<StoredDeadLetter> p = store.find(q);
      for (StoredDeadLetter s : p.items()) {
        if (s.replayCount() < maxReplays && ids.size() < maxPerRun) {
          ids.add(s.id());
        }
      }
      if (p.nextCursor().isEmpty()) {
        break;
      }
      q = q.after(p.nextCursor().get());
    }
    if (ids.isEmpty()) {
      return new ReplayResult("none", 0, 0, List.of(), false);
    }
    ReplayResult r = store.replay(ReplayRequest.ofIds(ids, OPERATOR).withRate(rate));
    log.info("auto-recovery replayed {} of {} recoverable dead letters (replay {})", r.replayed(), r.matched(), r.replayId());
    return r;
  }

  /**
   * Runs {@link #runOnce()} every {@code every} on a thread of its own until {@link #close()}.
   *
   * @param every between 1 s and 1 day
   * @return this
   */
  public synchronized AutoRecovery start(Duration every) {
    Checks.between(every, Duration.ofSeconds(1), Duration.ofDays(1), "every");
    if (timer == null) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dlq-auto-recovery");
        t.setDaemon(true);
        return t;
      });
      timer.scheduleWithFixedDelay(() -> {
        try {
          runOnce();
        } catch (RuntimeException e) {
          log.warn("auto-recovery run failed (trying again in {}): {}", every, e.toString());
        }
      }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Stops the timer; a run in progress finishes its current replay. */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  /** Configures {@link AutoRecovery}. Mutable and not thread-safe. */
  public static final class Builder {
    private final DeadLetterStore store;
    private Duration coolDown = Duration.ofMinutes(10);
    private int maxReplays = 3;
    private int maxPerRun = 100;
    private double rate = 10;
    private Clock clock = Clock.systemUTC();

    private Builder(DeadLetterStore store) {
      this.store = store;
    }

    /**
     * How long a dead letter stays dead before it is replayed; default 10 min.
     *
     * @param d at least zero
     * @return this builder
     */
    public Builder coolDown(Duration d) { this.coolDown = Checks.notNegative(d, "coolDown"); return this; }

    /**
     * How many times one dead letter may be replayed by anyone (its store replay count); default 3.
     *
     * @param n between 1 and 100
     * @return this builder
     */
    public Builder maxReplays(int n) { this.maxReplays = Checks.between(n, 1, 100, "maxReplays"); return this; }

    /**
     * How many dead letters one run replays at most; default 100.
     *
     * @param n between 1 and 100,000
     * @return this builder
     */
    public Builder maxPerRun(int n) { this.maxPerRun = Checks.between(n, 1, 100_000, "maxPerRun"); return this; }

    /**
     * How many messages a second a run sends back at most; default 10.
     *
     * @param perSecond more than 0, at most 10,000
     * @return this builder
     */
    public Builder ratePerSecond(double perSecond) {
      if (!(perSecond > 0 && perSecond <= 10_000)) {
        throw new IllegalArgumentException("ratePerSecond must be > 0 and <= 10000 but was " + perSecond);
      }
      this.rate = perSecond;
      return this;
    }

    /**
     * The clock deciding the cool-down; default UTC system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) { this.clock = Checks.notNull(clock, "clock"); return this; }

    /**
     * Builds it (not started).
     *
     * @return the auto-recovery
     */
    public AutoRecovery build() {
      return new AutoRecovery(this);
    }
  }
}
