package dev.dlq.nats;

import dev.dlq.spi.Checks;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.RecordResult;
import dev.dlq.ReplayRequest;
import dev.dlq.StoredDeadLetter;
import dev.dlq.nats.internal.JetStreamStore;
import dev.dlq.nats.internal.MonitorLoop;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.ReplayStore;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code <prefix>.dlq.>} with a durable consumer and decides, for every dead letter, a
 * {@link DlqAction}: {@link DlqAction#STORE} records it in another sink (typically the PostgreSQL
 * store, where operators query it), {@link DlqAction#ALERT} records it and calls the alert hook,
 * {@link DlqAction#RETRY} replays it to its original subject, {@link DlqAction#DISCARD} marks it
 * discarded. Each dead letter is handled at least once: the DLQ message is acknowledged only after its
 * action succeeded, and a failed action is tried again after the backoff.
 *
 * <pre>{@code
 * DlqMonitor monitor = nats.monitor()
 *     .sink(postgresStore)
 *     .decider(d -> d.deadLetter().errorType().endsWith("DatabaseError") ? DlqAction.ALERT : DlqAction.STORE)
 *     .alerts(d -> pager.page(d))
 *     .build().start();
 * }</pre>
 *
 * <p>The sink's copy becomes the system of record: once STORE or ALERT succeeded, the monitor marks
 * the dead letter RESOLVED in the NATS store (audited as operator {@value #OPERATOR}, "stored in
 * &lt;sink&gt;"). So when the message dies again after a replay from the copy, the NATS store reopens
 * and republishes it, the monitor copies it again and the copy is reopened with its death count
 * raised, which is how a {@code ReplayRunner} over the copy sees a replay die again. Only the latest
 * death is handed over, and only if still PENDING: an operator's change in NATS, or a later death, wins.
 *
 * <p>To alert with dlq-alerts' rules on what reaches the sink, give the monitor an
 * {@code AlertMonitor}'s observer ({@link Builder#observer}): it hears each record STORE and ALERT make.
 *
 * <p>Thread-safe. The decider, hook and observer run on the monitor's one thread.
 */
public final class DlqMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DlqMonitor.class);
  /** The operator name of the monitor's replays and discards in the audit log. */
  public static final String OPERATOR = "dlq-monitor";

  /** Picks the action for a dead letter (with its current status and counts). Must not block for long. */
  @FunctionalInterface
  public interface Decider {
    /**
     * What to do with {@code deadLetter}.
     *
     * @param deadLetter the dead letter, with its current status and counts
     * @return the action
     */
    DlqAction decide(StoredDeadLetter deadLetter);

    /**
     * SYSTEM_ERROR alerts, everything else is stored.
     *
     * @return the default decider
     */
    static Decider defaults() {
      return d -> d.deadLetter().errorClass() == ErrorClass.SYSTEM_ERROR ? DlqAction.ALERT : DlqAction.STORE;
    }
  }

  /** Raises an alert; throwing makes the monitor try the dead letter again later. */
  @FunctionalInterface
  public interface AlertHook {
    /**
     * Raises an alert for {@code deadLetter}; called on the monitor's thread, so return soon.
     *
     * @param deadLetter the dead letter, with its current status and counts
     */
    void alert(StoredDeadLetter deadLetter);
  }

  private final JetStreamStore store;
  private final DeadLetterSink sink;
  private final Decider decider;
  private final AlertHook alerts;
  private final DlqObserver observer;
  private final MonitorLoop loop;
  private final Map<DlqAction, AtomicLong> counts = new EnumMap<>(DlqAction.class);

  private DlqMonitor(Builder b) {
    this.store = b.dlq.jetStreamStore();
    this.sink = b.sink;
    this.decider = b.decider;
    this.alerts = b.alerts;
    this.observer = b.observer;
    for (DlqAction a : DlqAction.values()) {
      counts.put(a, new AtomicLong());
    }
    String filter = b.filterSubject != null ? b.filterSubject : b.dlq.subjectPrefix() + ".dlq.>";
    this.loop = new MonitorLoop(store, b.consumer, filter, sink == null ? null : label(sink), b.batch, b.backoff,
        b.maxDeliver, new MonitorLoop.Handler() {
          @Override
          public DlqAction handle(StoredDeadLetter deadLetter) {
            return DlqMonitor.this.handle(deadLetter);
          }

          @Override
          public void done(DlqAction action) {
            counts.get(action).incrementAndGet();
          }
        });
  }

  /** How the audit log names the sink: a store's label, else its class. */
  private static String label(DeadLetterSink sink) {
    if (sink instanceof ReplayStore) {
      return ((ReplayStore) sink).label();
    }
    Class<?> type = sink.getClass();
    return type.isHidden() || type.isAnonymousClass() ? "the monitor's sink" : type.getSimpleName();
  }

  /**
   * Starts following the DLQ. @throws IllegalThreadStateException when already started
   *
   * @return this monitor
   */
  public DlqMonitor start() {
    loop.start();
    return this;
  }

  /**
   * How many dead letters got {@code action} so far.
   *
   * @param action the action
   * @return the count
   */
  public long count(DlqAction action) {
    return counts.get(Checks.notNull(action, "action")).get();
  }

  /**
   * How many dead letters were handled so far.
   *
   * @return the count
   */
  public long handled() {
    long n = 0;
    for (AtomicLong c : counts.values()) {
      n += c.get();
    }
    return n;
  }

  private DlqAction handle(StoredDeadLetter d) {
    DlqAction action = decider.decide(d);
    if (action == null) {
      throw new IllegalStateException("the monitor's decider returned null for dead letter " + d.id());
    }
    switch (action) {
      case STORE:
        store(d);
        break;
      case ALERT:
        store(d);
        alerts.alert(d);
        break;
      case RETRY:
        if (d.status() == DeadLetterStatus.PENDING) {
          store.replay(ReplayRequest.ofIds(List.of(d.id()), OPERATOR));
        }
        break;
      case DISCARD:
        store.discard(List.of(d.id()), OPERATOR, "discarded by the DLQ monitor");
        break;
      default:
        throw new IllegalStateException("unknown action " + action);
    }
    return action;
  }

  private void store(StoredDeadLetter d) {
    if (sink != null) {
      RecordResult result = sink.record(d.deadLetter());
      observer.deadLettered(d.deadLetter(), result, Duration.ZERO); // DlqObserver.of: a throwing one is logged
    }
  }

  /** Stops following; what was fetched and not handled returns to the DLQ consumer. */
  @Override
  public void close() {
    loop.close();
  }

  /** Configures a {@link DlqMonitor}. Mutable and not thread-safe. */
  public static final class Builder {
    private final JetStreamDlq dlq;
    private DeadLetterSink sink;
    private Decider decider = Decider.defaults();
    private AlertHook alerts = d -> log.warn("dead letter {} of type {}: {} {}: {}", d.id(),
        d.deadLetter().message().type(), d.deadLetter().errorClass(), d.deadLetter().errorType(),
        d.deadLetter().errorMessage());
    private DlqObserver observer = DlqObserver.NONE;
    private String consumer = "dlq-monitor";
    private String filterSubject;
    private int batch = 64;
    private Duration backoff = Duration.ofSeconds(5);
    private int maxDeliver = -1;

    Builder(JetStreamDlq dlq) {
      this.dlq = dlq;
    }

    /**
     * Where STORE and ALERT record dead letters (the PostgreSQL store, say); default none. What they
     * record there is handed over: RESOLVED in the NATS store, the sink's copy is the record.
     *
     * @param sink where stored dead letters go
     * @return this builder
     */
    public Builder sink(DeadLetterSink sink) {
      this.sink = Checks.notNull(sink, "sink");
      return this;
    }

    /**
     * Default {@link Decider#defaults()}.
     *
     * @param decider what to do with each dead letter
     * @return this builder
     */
    public Builder decider(Decider decider) {
      this.decider = Checks.notNull(decider, "decider");
      return this;
    }

    /**
     * Default: a warning in the log.
     *
     * @param hook called for each dead letter whose action is to alert
     * @return this builder
     */
    public Builder alerts(AlertHook hook) {
      this.alerts = Checks.notNull(hook, "alerts");
      return this;
    }

    /**
     * Hears each dead letter that STORE and ALERT record in the sink, as
     * {@link DlqObserver#deadLettered} with the sink's {@link RecordResult}: CREATED (or REOPENED) the
     * first time, ALREADY_RECORDED when a DLQ message comes again before its hand-over (a redelivery after
     * the hand-over is acked unheard). Give it an
     * {@code AlertMonitor}'s observer to evaluate alert rules on what reaches the sink, a backlog the
     * monitor catches up on included. Not the workers' metrics observer: the workers already counted
     * these deaths. Default none.
     *
     * @param observer hears the monitor's records
     * @return this builder
     */
    public Builder observer(DlqObserver observer) {
      this.observer = DlqObserver.of(Checks.notNull(observer, "observer"));
      return this;
    }

    /**
     * The durable consumer's name (one per monitoring application); default "dlq-monitor".
     *
     * @param durable the durable consumer's name
     * @return this builder
     */
    public Builder consumer(String durable) {
      this.consumer = JetStreamDlq.requireName(durable, "consumer");
      return this;
    }

    /**
     * Follow only these DLQ subjects; default {@code <prefix>.dlq.>}.
     *
     * @param subject the subject filter within the DLQ stream
     * @return this builder
     */
    public Builder filterSubject(String subject) {
      this.filterSubject = JetStreamDlq.requireName(subject, "filterSubject");
      return this;
    }

    /**
     * Dead letters fetched at once; default 64.
     *
     * @param n dead letters fetched per pull; at least 1
     * @return this builder
     */
    public Builder batch(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("batch must be >= 1 but was " + n);
      }
      this.batch = n;
      return this;
    }

    /**
     * Wait before trying a failed dead letter again; default 5 s.
     *
     * @param backoff how long to wait before a dead letter that could not be handled is delivered again
     * @return this builder
     */
    public Builder retryBackoff(Duration backoff) {
      Checks.notNull(backoff, "retryBackoff");
      if (backoff.isNegative() || backoff.isZero()) {
        throw new IllegalArgumentException("retryBackoff must be > 0 but was " + backoff);
      }
      this.backoff = backoff;
      return this;
    }

    /**
     * Give up on a dead letter after this many failed tries (it stays in the DLQ); default -1, never.
     *
     * @param n deliveries of one dead letter before the monitor gives up on it; at least 1
     * @return this builder
     */
    public Builder maxDeliver(int n) {
      if (n < 1 && n != -1) {
        throw new IllegalArgumentException("maxDeliver must be >= 1 (or -1 for never) but was " + n);
      }
      this.maxDeliver = n;
      return this;
    }

    /**
     * Creates the durable consumer; {@link DlqMonitor#start()} starts it.
     *
     * @return the monitor, not started
     */
    public DlqMonitor build() {
      return new DlqMonitor(this);
    }
  }
}
