package dev.dlq.nats.internal;

import dev.dlq.DlqException;
import dev.dlq.nats.JetStreamDlq;
import dev.dlq.nats.TypeRule;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DeadLetterSinkProvider;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.DeadLetterStoreProvider;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Settings;
import dev.dlq.spi.Source;
import dev.dlq.spi.SourceProvider;
import io.nats.client.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The "nats" providers. Settings (docs/nats.md): {@code servers} (default nats://127.0.0.1:4222) or a
 * ready {@code connection}; {@code subjectPrefix} (required by sinks and stores; a source with one runs
 * the backstop into that DLQ), {@code dlqStream}, {@code createStreams}, {@code duplicateWindow},
 * {@code maxAge}, an {@code observer} object; sources also {@code stream}, {@code consumer} (required),
 * {@code filterSubject}, {@code ackWait}, {@code maxDeliver}, {@code maxAckPending},
 * {@code createConsumer}, {@code typeRule}, {@code backstop}.
 */
public final class NatsProviders {
  static final String DEFAULT_SERVERS = "nats://127.0.0.1:4222";

  private NatsProviders() {}

  static boolean bool(Settings s, String key, boolean fallback) {
    Optional<String> v = s.get(key);
    if (v.isEmpty()) {
      return fallback;
    }
    String t = v.get().trim().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("false")) {
      return Boolean.parseBoolean(t);
    }
    throw new dev.dlq.InvalidSettingException(key, "setting '" + key + "' of provider '" + s.provider() + "' must be true or false but was '" + v.get() + "'");
  }

  static JetStreamDlq facade(Settings s, String prefix) {
    JetStreamDlq.Builder b = JetStreamDlq.builder(prefix)
        .createStreams(bool(s, "createStreams", true));
    Optional<Connection> conn = s.object("connection", Connection.class);
    if (conn.isPresent()) {
      b.connection(conn.get());
    } else {
      b.servers(s.get("servers", DEFAULT_SERVERS));
    }
    s.get("dlqStream").ifPresent(b::dlqStream);
    Duration dup = s.getDuration("duplicateWindow", Duration.ZERO);
    if (!dup.isZero()) {
      b.duplicateWindow(dup);
    }
    Duration age = s.getDuration("maxAge", Duration.ZERO);
    if (!age.isZero()) {
      b.maxAge(age);
    }
    s.object("observer", dev.dlq.spi.DlqObserver.class).ifPresent(b::observer);
    return b.build();
  }

  static DeadLetterStore store(Settings s) {
    String prefix = s.require("subjectPrefix");
    Optional<Connection> given = s.object("connection", Connection.class);
    Connection conn = given.orElseGet(() -> Nats.connect(s.get("servers", DEFAULT_SERVERS), "dlq-" + prefix));
    List<AutoCloseable> owned = given.isPresent() ? List.of() : List.of(conn::close);
    StoreConfig c;
    try {
      c = new StoreConfig(prefix, s.get("dlqStream").orElse(null), bool(s, "createStreams", true),
          s.getDuration("duplicateWindow", Duration.ZERO), s.getDuration("maxAge", Duration.ZERO),
          s.object("observer", dev.dlq.spi.DlqObserver.class).orElse(dev.dlq.spi.DlqObserver.NONE), Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      JetStreamSource.closeAll(owned);
      throw new dev.dlq.InvalidSettingException("subjectPrefix", "setting 'subjectPrefix' of provider '" + s.provider() + "': " + e.getMessage(), e);
    } catch (RuntimeException e) {
      JetStreamSource.closeAll(owned);
      throw e;
    }
    return JetStreamStore.open(conn, c, owned);
  }

  /** Sources. */
  public static final class Sources implements SourceProvider {
    @Override
    public String name() {
      return "nats";
    }

    @Override
    public Source create(Settings s) {
      String stream = s.require("stream");
      String consumer = s.require("consumer");
      Optional<String> prefix = s.get("subjectPrefix");
      TypeRule rule = TypeRule.parse(s.get("typeRule", "header:Dlq-Type,last-token"));
      Duration ackWait = s.getDuration("ackWait", Duration.ofSeconds(30));
      JetStreamDlq dlq = facade(s, prefix.orElse("dlq"));
      try {
        JetStreamDlq.SourceBuilder b = dlq.source(stream, consumer)
            .ackWait(ackWait)
            .maxAckPending(s.getInt("maxAckPending", 10_000))
            .typeRule(rule)
            .backstop(prefix.isPresent() && bool(s, "backstop", true));
        s.get("filterSubject").ifPresent(b::filterSubject);
        if (s.get("maxDeliver").isPresent()) {
          b.maxDeliver(s.getInt("maxDeliver", 0)); // else the worker's attempt budget + 2
        }
        if (!bool(s, "createConsumer", true)) {
          b.bindOnly();
        }
        return new Owning(b.build(), dlq);
      } catch (IllegalArgumentException e) {
        dlq.close();
        throw new DlqException("provider '" + s.provider() + "': " + e.getMessage(), e);
      } catch (RuntimeException e) {
        dlq.close();
        throw e;
      }
    }
  }

  /** Sinks: the DLQ stream store. */
  public static final class Sinks implements DeadLetterSinkProvider {
    @Override
    public String name() {
      return "nats";
    }

    @Override
    public DeadLetterSink create(Settings s) {
      return store(s);
    }
  }

  /** Stores: the DLQ stream store. */
  public static final class Stores implements DeadLetterStoreProvider {
    @Override
    public String name() {
      return "nats";
    }

    @Override
    public DeadLetterStore create(Settings s) {
      return store(s);
    }

    /**
     * The settings a store reads.
     *
     * @return servers, subjectPrefix, dlqStream, createStreams, duplicateWindow, maxAge
     */
    @Override
    public java.util.Set<String> settingKeys() {
      return java.util.Set.of("servers", "subjectPrefix", "dlqStream", "createStreams", "duplicateWindow", "maxAge");
    }
  }

  /** A source that also closes the backend it was made with. */
  private static final class Owning implements Source {
    private final Source source;
    private final JetStreamDlq dlq;

    Owning(Source source, JetStreamDlq dlq) {
      this.source = source;
      this.dlq = dlq;
    }

    @Override
    public List<? extends Delivery> poll(int max, Duration wait) throws InterruptedException {
      return source.poll(max, wait);
    }

    @Override
    public Duration lease() {
      return source.lease();
    }

    @Override
    public String name() {
      return source.name();
    }

    @Override
    public void close() {
      try {
        source.close();
      } finally {
        dlq.close();
      }
    }
  }
}
