package dev.dlq.nats;

import dev.dlq.spi.Checks;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.spi.DlqObserver;
import dev.dlq.nats.internal.Backstop;
import dev.dlq.nats.internal.JetStreamSource;
import dev.dlq.nats.internal.LazySource;
import dev.dlq.nats.internal.JetStreamStore;
import dev.dlq.nats.internal.MessageDecoder;
import dev.dlq.nats.internal.Nats;
import dev.dlq.nats.internal.Replays;
import dev.dlq.nats.internal.SourceConfig;
import dev.dlq.nats.internal.StoreConfig;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Source;
import io.nats.client.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The NATS JetStream backend for one subject prefix: dead letters go to {@code <prefix>.dlq.<type>}
 * in the DLQ stream (default {@code <PREFIX>_DLQ}), their workflow state to the KV bucket
 * {@code <DLQ stream>_STATE} and operator actions to the stream {@code <DLQ stream>_AUDIT}.
 *
 * <pre>{@code
 * try (JetStreamDlq nats = JetStreamDlq.builder("sahool").servers("nats://127.0.0.1:4222").build();
 *      Source source = nats.source("SAHOOL_EVENTS", "analysis-worker")
 *          .filterSubject("sahool.analysis.*").retryPolicy(policy).build();
 *      Worker worker = Worker.builder(source, processor).retryPolicy(policy).sink(nats.store()).build()) {
 *   worker.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Closing it closes the store, and the connection when it made it; sources and
 * monitors it built share the connection and must be closed first.
 */
public final class JetStreamDlq implements AutoCloseable {
  private final Connection conn;
  private final boolean ownsConnection;
  private final StoreConfig storeConfig;
  private final DlqObserver observer;
  private final DeadLetterFormat format;
  private final Clock clock;
  private JetStreamStore store;

  private JetStreamDlq(Builder b) {
    this.ownsConnection = b.connection == null;
    this.conn = b.connection != null ? b.connection : Nats.connect(b.servers, "dlq-" + b.prefix);
    this.observer = b.observer;
    this.format = b.format;
    this.clock = b.clock;
    this.storeConfig = new StoreConfig(b.prefix, b.dlqStream, b.createStreams, b.duplicateWindow, b.maxAge, observer, clock);
  }

  /**
   * A builder for the DLQ of {@code subjectPrefix} (subject tokens, no wildcards: "sahool", "app.orders").
   *
   * @param subjectPrefix subject tokens, no wildcards ("sahool", "app.orders")
   * @return a builder
   */
  public static Builder builder(String subjectPrefix) {
    return new Builder(subjectPrefix);
  }

  /**
   * An error listener for connections you make yourself: pull requests that expire or find nothing
   * are routine for a worker, and jnats' default listener logs a warning for each; this one logs them
   * at trace and everything else through slf4j. {@link Builder#servers} connections already use it.
   *
   * @return the listener
   */
  public static io.nats.client.ErrorListener errorListener() {
    return new Nats.QuietListener();
  }

  /**
   * The connection everything here uses.
   *
   * @return the connection
   */
  public Connection connection() {
    return conn;
  }

  /**
   * The subject prefix.
   *
   * @return the subject prefix
   */
  public String subjectPrefix() {
    return storeConfig.prefix();
  }

  /**
   * The DLQ stream's name.
   *
   * @return the stream's name
   */
  public String dlqStream() {
    return storeConfig.dlqStream();
  }


  /**
   * The DLQ as a store (and a sink for workers), created on first use with its stream, bucket and
   * audit stream. One per instance; closed with it.
   *
   * @return the store, the same on every call
   * @throws dev.dlq.DlqException when NATS refuses
   */
  public synchronized DeadLetterStore store() {
    if (store == null) {
      store = JetStreamStore.open(conn, storeConfig, List.of());
    }
    return store;
  }

  /**
   * A source over the durable pull consumer {@code consumer} of {@code stream}.
   *
   * @param stream the stream consumed
   * @param consumer the durable consumer's name
   * @return a builder
   */
  public SourceBuilder source(String stream, String consumer) {
    return new SourceBuilder(this, stream, consumer);
  }

  /**
   * A monitor of this DLQ.
   *
   * @return a builder
   */
  public DlqMonitor.Builder monitor() {
    return new DlqMonitor.Builder(this);
  }

  /**
   * Starts the max-deliveries backstop of {@code consumer} on {@code stream} without a source:
   * messages that ran out of deliveries are recorded in {@code sink} as LEASE_EXPIRED. Close it to stop.
   *
   * @param stream the stream consumed
   * @param consumer the durable consumer's name
   * @param maxDeliver deliveries before a message is dead-lettered; at least 1
   * @param typeRule how a message's type is found
   * @param sink where dead letters go
   * @return the running backstop; close it to stop
   */
  public AutoCloseable backstop(String stream, String consumer, int maxDeliver, TypeRule typeRule, DeadLetterSink sink) {
    return new Backstop(conn, requireName(stream, "stream"), requireName(consumer, "consumer"), maxDeliver,
        new MessageDecoder(Checks.notNull(typeRule, "typeRule")),
        null, Checks.notNull(sink, "sink"), observer, format, clock);
  }

  /**
   * Sends a dead letter's message back to its original subject as a replay, outside this DLQ's own
   * state: for stores that keep NATS dead letters elsewhere, such as the PostgreSQL store fed by a
   * {@link DlqMonitor} ({@code PostgresDeadLetterStore.builder(ds).replayer("nats", (d, id, tx) ->
   * nats.replay(d.deadLetter(), id))}). Payload and headers go back byte-exact with the message id, as
   * a new stream message (a fresh attempt budget); a second send with the same replay id is dropped
   * by JetStream within the work stream's duplicate window.
   *
   * @param deadLetter the dead letter whose message is sent again
   * @param replayId the replay's id, sent as a header
   * @throws dev.dlq.DlqException when the publish fails (no stream takes the subject, NATS is down)
   */
  public void replay(DeadLetter deadLetter, String replayId) {
    Checks.notNull(deadLetter, "deadLetter");
    requireName(replayId, "replayId");
    if (!"nats".equals(deadLetter.message().source().backend())) {
      throw new IllegalArgumentException("dead letter " + deadLetter.id() + " came from backend '"
          + deadLetter.message().source().backend() + "', not nats");
    }
    io.nats.client.JetStream js;
    try {
      js = conn.jetStream();
    } catch (java.io.IOException e) {
      throw new dev.dlq.DlqException("NATS: no JetStream context: " + e.getMessage(), e);
    }
    Replays.publish(js, deadLetter.message(), replayId, "dlq-replay:" + deadLetter.id() + ":" + replayId);
  }

  JetStreamStore jetStreamStore() {
    return (JetStreamStore) store();
  }

  Clock clock() {
    return clock;
  }

  @Override
  public synchronized void close() {
    if (store != null) {
      store.close();
    }
    if (ownsConnection) {
      try {
        conn.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static String requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return name;
  }

  /** Configures a {@link JetStreamDlq}. Mutable and not thread-safe. */
  public static final class Builder {
    private final String prefix;
    private Connection connection;
    private String servers = "nats://127.0.0.1:4222";
    private String dlqStream;
    private boolean createStreams = true;
    private Duration duplicateWindow = Duration.ZERO;
    private Duration maxAge = Duration.ZERO;
    private DlqObserver observer = DlqObserver.NONE;
    private DeadLetterFormat format = DeadLetterFormat.defaults();
    private Clock clock = Clock.systemUTC();

    private Builder(String prefix) {
      this.prefix = requireName(prefix, "subjectPrefix");
    }

    /**
     * Use this connection (not closed by {@link JetStreamDlq#close()}).
     *
     * @param connection a connection you made and close yourself
     * @return this builder
     */
    public Builder connection(Connection connection) {
      this.connection = Checks.notNull(connection, "connection");
      return this;
    }

    /**
     * Connect to these servers (comma-separated URLs); default {@code nats://127.0.0.1:4222}.
     *
     * @param servers NATS server URLs, comma separated
     * @return this builder
     */
    public Builder servers(String servers) {
      this.servers = requireName(servers, "servers");
      return this;
    }

    /**
     * The DLQ stream's name; default the prefix upper-cased with "_DLQ" ("sahool" gives "SAHOOL_DLQ").
     *
     * @param name the DLQ stream's name
     * @return this builder
     */
    public Builder dlqStream(String name) {
      this.dlqStream = requireName(name, "dlqStream");
      return this;
    }

    /**
     * Create the DLQ stream, state bucket and audit stream when missing; default true.
     *
     * @param create true to create the streams when missing, false to require them
     * @return this builder
     */
    public Builder createStreams(boolean create) {
      this.createStreams = create;
      return this;
    }

    /**
     * The DLQ stream's duplicate window when it is created; default the server's (2 minutes).
     *
     * @param window how long the DLQ stream remembers message ids to drop duplicates
     * @return this builder
     */
    public Builder duplicateWindow(Duration window) {
      this.duplicateWindow = positive(window, "duplicateWindow");
      return this;
    }

    /**
     * How long the DLQ stream keeps dead letters when it is created; default forever.
     *
     * @param age how long the DLQ stream keeps dead letters
     * @return this builder
     */
    public Builder maxAge(Duration age) {
      this.maxAge = positive(age, "maxAge");
      return this;
    }

    /**
     * Hears the store's replays and the deaths found by backstops made with
     * {@link JetStreamDlq#backstop}; a worker's source reports to the worker's observers. Default none.
     *
     * @param observer hears replays and backstop deaths
     * @return this builder
     */
    public Builder observer(DlqObserver observer) {
      this.observer = Checks.notNull(observer, "observer");
      return this;
    }

    /**
     * Budgets and redaction for dead letters the backstop writes; default {@link DeadLetterFormat#defaults()}.
     *
     * @param format how dead letters are encoded
     * @return this builder
     */
    public Builder format(DeadLetterFormat format) {
      this.format = Checks.notNull(format, "format");
      return this;
    }

    /**
     * The clock deciding dead-letter times (tests move it).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Checks.notNull(clock, "clock");
      return this;
    }

    /**
     * @throws dev.dlq.DlqException when it cannot connect
     * @return the DLQ
     */
    public JetStreamDlq build() {
      new StoreConfig(prefix, dlqStream, createStreams, duplicateWindow, maxAge, null, clock); // checks the prefix
      return new JetStreamDlq(this);
    }

    private static Duration positive(Duration d, String name) {
      Checks.notNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0 but was " + d);
      }
      return d;
    }
  }

  /** Configures a JetStream {@link Source}. Mutable and not thread-safe. */
  public static final class SourceBuilder {
    private final JetStreamDlq dlq;
    private final String stream;
    private final String consumer;
    private String filterSubject;
    private Duration ackWait = Duration.ofSeconds(30);
    private int maxDeliver; // 0: the worker's attempt budget plus two
    private int maxAckPending = 10_000;
    private int pullBatch = 256;
    private boolean createConsumer = true;
    private TypeRule typeRule = TypeRule.defaults();
    private boolean backstop = true;
    private DeadLetterSink backstopSink;

    private SourceBuilder(JetStreamDlq dlq, String stream, String consumer) {
      this.dlq = dlq;
      this.stream = requireName(stream, "stream");
      this.consumer = requireName(consumer, "consumer");
    }

    /**
     * Only messages on these subjects; default the whole stream.
     *
     * @param subject the consumer's subject filter
     * @return this builder
     */
    public SourceBuilder filterSubject(String subject) {
      this.filterSubject = requireName(subject, "filterSubject");
      return this;
    }

    /**
     * How long a delivered message stays invisible unless the worker extends it; default 30 s.
     *
     * @param ackWait how long a delivery may go unacknowledged before NATS delivers it again
     * @return this builder
     */
    public SourceBuilder ackWait(Duration ackWait) {
      Checks.notNull(ackWait, "ackWait");
      if (ackWait.toMillis() < 100) {
        throw new IllegalArgumentException("ackWait must be >= 100ms but was " + ackWait);
      }
      this.ackWait = ackWait;
      return this;
    }

    /**
     * The consumer's MaxDeliver (the crash backstop), when you must set it yourself; by default the
     * worker that opens the source sets it to its retry policy's most attempts plus two (so the
     * worker always gives up first and a release or two at shutdown do not count as a crash), or 10
     * for a policy without a bound.
     *
     * @param maxDeliver deliveries before a message is dead-lettered; at least 1 (or -1 for unlimited)
     * @return this builder
     */
    public SourceBuilder maxDeliver(int maxDeliver) {
      if (maxDeliver < 1 && maxDeliver != -1) {
        throw new IllegalArgumentException("maxDeliver must be >= 1 (or -1 for unlimited) but was " + maxDeliver);
      }
      this.maxDeliver = maxDeliver;
      return this;
    }

    /**
     * How many unacknowledged messages the consumer allows; default 10,000.
     *
     * @param n deliveries unacknowledged at once; at least 1
     * @return this builder
     */
    public SourceBuilder maxAckPending(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxAckPending must be >= 1 but was " + n);
      }
      this.maxAckPending = n;
      return this;
    }

    /**
     * Under load, pull at least this many messages at a time even when the worker asks for fewer, to
     * save round trips; default 256, 0 to pull only what each poll asks for. The surplus waits in the
     * client and is handed out by the next polls; it never exceeds what the worker consumes in a quarter
     * of the ack wait, so a slow worker reads nothing ahead, and closing the source hands it back at once.
     *
     * @param n messages fetched per pull request; at least 1
     * @return this builder
     */
    public SourceBuilder pullBatch(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("pullBatch must be >= 0 but was " + n);
      }
      this.pullBatch = n;
      return this;
    }

    /**
     * Bind to the consumer as it is instead of creating or updating it.
     *
     * @return this builder
     */
    public SourceBuilder bindOnly() {
      this.createConsumer = false;
      return this;
    }

    /**
     * How to tell a message's type; default {@link TypeRule#defaults()}.
     *
     * @param rule how a message's type is found
     * @return this builder
     */
    public SourceBuilder typeRule(TypeRule rule) {
      this.typeRule = Checks.notNull(rule, "typeRule");
      return this;
    }

    /**
     * Run the max-deliveries backstop into this DLQ with the source; default true.
     *
     * @param enabled false to run without the backstop
     * @return this builder
     */
    public SourceBuilder backstop(boolean enabled) {
      this.backstop = enabled;
      return this;
    }

    /**
     * Run the max-deliveries backstop with the source, recording into {@code sink}.
     *
     * @param sink where the backstop records messages that ran out of deliveries
     * @return this builder
     */
    public SourceBuilder backstop(DeadLetterSink sink) {
      this.backstopSink = Checks.notNull(sink, "sink");
      this.backstop = true;
      return this;
    }

    /**
     * The source. Its consumer is created (or bound) when the worker opens it, with MaxDeliver from
     * the worker's retry policy unless {@link #maxDeliver(int)} was given; the backstop records into
     * the worker's sink unless {@link #backstop(DeadLetterSink)} named another.
     *
     * @throws IllegalArgumentException when a setting is out of range
     * @return the source
     */
    public Source build() {
      return new LazySource(stream + "/" + consumer, ackWait, dlq::store, this::open);
    }

    private JetStreamSource open(dev.dlq.spi.SourceContext context) {
      int deliver = maxDeliver != 0 ? maxDeliver
          : context.crashBackstop().map(n -> n >= Integer.MAX_VALUE - 2 ? -1 : n + 2).orElse(10);
      SourceConfig c = new SourceConfig(stream, consumer, filterSubject, ackWait, deliver, maxAckPending,
          createConsumer, typeRule, pullBatch);
      List<AutoCloseable> owned = new ArrayList<>(1);
      JetStreamSource source = JetStreamSource.open(dlq.conn, c, owned);
      if (backstop && source.maxDeliver() > 0) {
        try {
          DeadLetterSink sink = backstopSink != null ? backstopSink : context.sink();
          owned.add(new Backstop(dlq.conn, stream, consumer, source.maxDeliver(), new MessageDecoder(typeRule),
              source.history(), sink, context.observer(), context.format(), dlq.clock));
        } catch (RuntimeException e) {
          source.close();
          throw e;
        }
      }
      return source;
    }
  }
}
