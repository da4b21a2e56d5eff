package dev.dlq.alerts;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.RecordResult;
import dev.dlq.Worker.CircuitState;
import dev.dlq.alerts.AlertRule.Kind;
import dev.dlq.alerts.internal.Evaluator;
import dev.dlq.spi.Checks;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.DlqObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates {@link AlertRule}s and sends their alerts through an {@link AlertDelivery}. Two ways in,
 * usable together:
 * <ul>
 *   <li>in process: give {@link #observer()} to your workers ({@code Worker.Builder.observer}); deaths,
 *       reopened replays and breaker changes are evaluated as they happen;</li>
 *   <li>a separate monitor process: {@link Builder#deathsFromStore()} makes each poll read the
 *       store's deaths since the last poll instead (every rule but BREAKER_OPEN works that way).</li>
 * </ul>
 * Polling ({@link #start()} every {@link Builder#pollEvery}, or {@link #poll()} by hand) evaluates
 * RATE (the store's count, or the observed deaths without a store) and OLDEST (store only), and sends
 * the digests of throttled alerts.
 *
 * <pre>{@code
 * PostgresDeadLetterStore store = PostgresDeadLetterStore.builder(ds).build();
 * AlertMonitor monitor = AlertMonitor.builder(store)
 *     .rules(AlertRules.load(Path.of("alerts.json")))
 *     .delivery(AlertDelivery.builder()
 *         .channel("ops", Notifiers.slack(URI.create(slackUrl)))
 *         .channel("users", UserNotifications.of(ds, "dlq"))
 *         .queue(PostgresQueue.builder(ds, AlertDelivery.DEFAULT_QUEUE).build())
 *         .build())
 *     .consoleUrl("https://ops.example.com/dlq")
 *     .build()
 *     .start();
 * Worker worker = Worker.builder(source, processor).observer(monitor.observer()).build().start();
 * }</pre>
 *
 * <p>All evaluation runs on the monitor's one thread; the observer only queues events (at most
 * 10,000 waiting; past that, events are dropped and logged), so workers are never slowed by it.
 * Thread-safe.
 */
public final class AlertMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertMonitor.class);
  static final int MAX_QUEUED_EVENTS = 10_000;

  private final Evaluator evaluator;
  private final AlertDelivery delivery;
  private final Duration pollEvery;
  private final ScheduledThreadPoolExecutor thread;
  private final DlqObserver observer;
  private boolean started;

  private AlertMonitor(Builder b) {
    this.delivery = b.delivery;
    this.pollEvery = b.pollEvery;
    this.evaluator = new Evaluator(b.rules, b.store, b.fromStore ? Evaluator.Feed.STORE : Evaluator.Feed.OBSERVER,
        b.format, b.clock, b.consoleUrl, b.cli, (alert, channels) -> {
          try {
            delivery.send(alert, channels);
          } catch (RuntimeException e) {
            log.error("alert {} ({}: {}) could not be queued: {}", alert.id(), alert.rule(), alert.title(), e.toString());
          }
        });
    this.thread = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "dlq-alert-monitor");
      t.setDaemon(true);
      return t;
    });
    this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.observer = new DlqObserver() {
      @Override
      public void deadLettered(DeadLetter deadLetter, RecordResult result, Duration took) {
        submit(() -> evaluator.observed(deadLetter, result));
      }

      @Override
      public void circuitChanged(String workerId, String source, CircuitState state) {
        submit(() -> evaluator.circuit(workerId, source, state));
      }
    };
  }

  /**
   * A builder over {@code store}: RATE and OLDEST rules, new-group seeding, samples and the
   * store feed read it.
   *
   * @param store the dead-letter store
   * @return a builder
   */
  public static Builder builder(DeadLetterStore store) {
    return new Builder(Checks.notNull(store, "store"));
  }

  /**
   * A builder without a store: only the observer feeds it, RATE counts observed deaths, OLDEST
   * rules are refused.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder(null);
  }

  /**
   * The observer to give workers (and the NATS DLQ monitor, sources, reapers) of this process.
   *
   * @return the observer; it never blocks or throws
   */
  public DlqObserver observer() {
    return observer;
  }

  /**
   * Starts the delivery worker (durable delivery) and polling every {@code pollEvery}.
   *
   * @return this
   */
  public synchronized AlertMonitor start() {
    if (!started) {
      started = true;
      delivery.start();
      thread.scheduleWithFixedDelay(this::pollQuietly, 0, pollEvery.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /**
   * Runs one poll now, after every event already heard, and waits for it (tests, a cron-style
   * {@code dlq monitor --once}).
   *
   * @throws dev.dlq.DlqException when the store fails
   */
  public void poll() {
    try {
      thread.submit(evaluator::poll).get(5, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while polling", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("poll did not finish within 5 minutes", e);
    }
  }

  private void pollQuietly() {
    try {
      evaluator.poll();
    } catch (RuntimeException e) {
      log.warn("alert poll failed (trying again in {}): {}", pollEvery, e.toString());
    }
  }

  private void submit(Runnable r) {
    if (thread.getQueue().size() >= MAX_QUEUED_EVENTS) {
      log.warn("alert monitor is {} events behind; dropping one", MAX_QUEUED_EVENTS);
      return;
    }
    try {
      thread.execute(() -> {
        try {
          r.run();
        } catch (RuntimeException e) {
          log.warn("alert evaluation failed: {}", e.toString());
        }
      });
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /** Stops polling and the delivery worker; events not yet evaluated are dropped. */
  @Override
  public synchronized void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    delivery.close();
  }

  /** Configures an {@link AlertMonitor}. Mutable and not thread-safe. */
  public static final class Builder {
    private final DeadLetterStore store;
    private final List<AlertRule> rules = new ArrayList<>();
    private AlertDelivery delivery;
    private Duration pollEvery = Duration.ofMinutes(1);
    private boolean fromStore;
    private DeadLetterFormat format = DeadLetterFormat.defaults();
    private Clock clock = Clock.systemUTC();
    private Optional<String> consoleUrl = Optional.empty();
    private String cli = "dlq dead-letters";

    private Builder(DeadLetterStore store) {
      this.store = store;
    }

    /**
     * Adds rules (e.g. {@link AlertRules#load}).
     *
     * @param rules the rules; names must be unique
     * @return this builder
     */
    public Builder rules(List<AlertRule> rules) {
      Checks.notNull(rules, "rules").forEach(this::rule);
      return this;
    }

    /**
     * Adds one rule.
     *
     * @param rule the rule
     * @return this builder
     */
    public Builder rule(AlertRule rule) {
      Checks.notNull(rule, "rule");
      if (rules.stream().anyMatch(r -> r.name().equals(rule.name()))) {
        throw new IllegalArgumentException("rule name " + rule.name() + " is used twice");
      }
      rules.add(rule);
      return this;
    }

    /**
     * Where alerts go (required).
     *
     * @param delivery the delivery; the monitor starts and closes it
     * @return this builder
     */
    public Builder delivery(AlertDelivery delivery) { this.delivery = Checks.notNull(delivery, "delivery"); return this; }

    /**
     * How often {@link #start()} polls; default 1 min.
     *
     * @param every between 100 ms and 1 h
     * @return this builder
     */
    public Builder pollEvery(Duration every) {
      this.pollEvery = Checks.between(every, Duration.ofMillis(100), Duration.ofHours(1), "pollEvery");
      return this;
    }

    /**
     * Reads deaths from the store at each poll instead of from the observer: for a monitor process
     * that runs no workers. BREAKER_OPEN rules then never fire.
     *
     * @return this builder
     */
    public Builder deathsFromStore() {
      if (store == null) {
        throw new IllegalArgumentException("deathsFromStore needs a store: use AlertMonitor.builder(store)");
      }
      this.fromStore = true;
      return this;
    }

    /**
     * Redaction and budgets for samples; give the store's format. Default {@link DeadLetterFormat#defaults()}.
     *
     * @param format the format
     * @return this builder
     */
    public Builder format(DeadLetterFormat format) { this.format = Checks.notNull(format, "format"); return this; }

    /**
     * The clock deciding windows, ages and throttles; default UTC system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) { this.clock = Checks.notNull(clock, "clock"); return this; }

    /**
     * The admin console's base URL; alerts then link to their failure group
     * ({@code <base>/?fingerprint=<fp>&status=PENDING}).
     *
     * @param baseUrl an http(s) URL
     * @return this builder
     */
    public Builder consoleUrl(String baseUrl) {
      WebhookNotifier.httpUri(java.net.URI.create(Checks.notBlank(baseUrl, "consoleUrl")), "consoleUrl");
      this.consoleUrl = Optional.of(baseUrl);
      return this;
    }

    /**
     * The CLI prefix in replay commands; default {@code dlq dead-letters} (add store options such
     * as {@code dlq dead-letters --store postgres --url ...} when operators need them).
     *
     * @param prefix the command prefix
     * @return this builder
     */
    public Builder replayCommand(String prefix) { this.cli = Checks.notBlank(prefix, "replayCommand"); return this; }

    /**
     * Builds the monitor (not started).
     *
     * @return the monitor
     * @throws IllegalArgumentException when no delivery is set, a rule names an unknown channel, or an
     *     OLDEST rule has no store
     */
    public AlertMonitor build() {
      if (delivery == null) {
        throw new IllegalArgumentException("delivery must be set");
      }
      for (AlertRule r : rules) {
        for (String c : r.channels()) {
          if (!delivery.channels().contains(c)) {
            throw new IllegalArgumentException("rule " + r.name() + " notifies unknown channel " + c + "; known: "
                + delivery.channels());
          }
        }
        if (r.kind() == Kind.OLDEST && store == null) {
          throw new IllegalArgumentException("rule " + r.name() + " (oldest) needs a store: use AlertMonitor.builder(store)");
        }
      }
      return new AlertMonitor(this);
    }
  }
}
