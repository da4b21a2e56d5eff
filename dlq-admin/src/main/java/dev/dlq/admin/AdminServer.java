package dev.dlq.admin;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.dlq.DeadLetterFormat;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.spi.DeadLetterStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The HTTP admin API, the web console and the Prometheus metrics over one {@link DeadLetterStore},
 * to run inside an application or as {@code dlq serve}:
 *
 * <pre>{@code
 * AdminServer admin = AdminServer.builder(store)
 *     .port(8081)
 *     .token("ops", AdminServer.Role.OPERATOR, System.getenv("DLQ_OPS_TOKEN"))
 *     .build()
 *     .start();
 * ...
 * admin.close();
 * }</pre>
 *
 * <p>It binds to 127.0.0.1 unless told otherwise; any other address needs at least one token.
 * Requests must name this server in {@code Host} (loopback or {@link Builder#allowedHost}); changing
 * requests must be JSON from this server's own pages (docs/operating.md, "Security"). With tokens,
 * each has a name (the audit operator) and a {@link Role}.
 *
 * <p>The JDK's HTTP server reads its timeouts from system properties once, when its first server
 * starts; this class sets {@code sun.net.httpserver.maxReqTime} (10 s), {@code maxRspTime} (120 s),
 * {@code idleInterval} (30 s), {@code maxReqHeaders} (500) and {@code maxReqHeaderSize} (256 KiB)
 * unless they are already set, so start it before any other {@code com.sun.net.httpserver} server
 * in the same JVM or set them yourself.
 *
 * <p>Thread-safe; {@link #close()} stops it.
 */
public final class AdminServer implements AutoCloseable {
  static {
    setIfAbsent("sun.net.httpserver.maxReqTime", "10");
    setIfAbsent("sun.net.httpserver.maxRspTime", "120"); // counted from the end of the request: bulk work included
    setIfAbsent("sun.net.httpserver.idleInterval", "30");
    // past these the JDK drops the connection without an answer; below them Http answers 431
    setIfAbsent("sun.net.httpserver.maxReqHeaders", "500");
    setIfAbsent("sun.net.httpserver.maxReqHeaderSize", Integer.toString(256 * 1024));
  }

  /** What a token may do; each role may also do everything of the roles before it. */
  public enum Role {
    /** Read: list, show, stats, groups, audit, metrics. */
    VIEWER,
    /** Also replay, resolve and discard. */
    OPERATOR,
    /** Also purge (retention). */
    ADMIN;

    /** The role's name in lower case, as in {@code --token name:role:secret}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException unless {@code s} is viewer, operator or admin
     */
    public static Role parse(String s) {
      for (Role r : values()) {
        if (r.label().equals(s.trim().toLowerCase(Locale.ROOT))) {
          return r;
        }
      }
      throw new IllegalArgumentException("role must be viewer, operator or admin but was '" + Text.clean(s, 32) + "'");
    }
  }

  private final DeadLetterStore store;
  private final InetAddress address;
  private final int requestedPort;
  private final Tokens tokens;
  private final DlqMetrics metrics;
  private final DeadLetterFormat redaction;
  private final double replayRate;
  private final int maxBulk;
  private final int threads;
  private final Set<String> allowedHosts;
  private final Set<String> allowedOrigins;
  private final Path keystore;
  private final char[] keystorePassword;
  private final Set<String> editableTypes;
  private HttpServer server;
  private ThreadPoolExecutor requests;
  private ThreadPoolExecutor longActions;
  private dev.dlq.ReplayRunner runner;

  /** Copies the builder's settings, so that changing the builder afterwards changes nothing here. */
  private AdminServer(Builder b) {
    this.store = b.store;
    this.address = b.address;
    this.requestedPort = b.port;
    this.tokens = b.tokens.copy();
    this.metrics = b.metrics;
    this.redaction = b.redaction;
    this.replayRate = b.replayRate;
    this.maxBulk = b.maxBulk;
    this.threads = b.threads;
    this.allowedHosts = Set.copyOf(b.allowedHosts);
    this.allowedOrigins = Set.copyOf(b.allowedOrigins);
    this.keystore = b.keystore;
    this.keystorePassword = b.keystorePassword == null ? null : b.keystorePassword.clone();
    this.editableTypes = Set.copyOf(b.editableTypes);
  }

  /** A builder for a server over {@code store}; nothing listens until {@link #start()}. */
  public static Builder builder(DeadLetterStore store) {
    return new Builder(store);
  }

  /**
   * Binds and starts answering.
   *
   * @return this
   * @throws IOException when the address cannot be bound (port in use) or the keystore cannot be read
   * @throws IllegalStateException when already started
   */
  public synchronized AdminServer start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    InetSocketAddress bindTo = new InetSocketAddress(address, requestedPort);
    HttpServer s = keystore == null ? HttpServer.create(bindTo, 128) : https(bindTo);
    requests = pool("dlq-admin-http", threads, new SynchronousQueue<>());
    longActions = pool("dlq-admin-bulk", 2, new ArrayBlockingQueue<>(8));
    int port = s.getAddress().getPort();
    Set<String> hosts = new HashSet<>(allowedHosts);
    if (!address.isAnyLocalAddress() && !address.isLoopbackAddress()) {
      String a = address.getHostAddress();
      hosts.add((a.contains(":") ? "[" + a + "]" : a) + ":" + port);
    }
    Guard guard = new Guard(port, keystore != null, hosts, allowedOrigins);
    // replay jobs run on the runner's threads; jobs a crash left RUNNING resume now
    runner = store instanceof dev.dlq.spi.ReplayStore
        ? dev.dlq.ReplayRunner.builder(store).observer(metrics).allowEdits(editableTypes)
            .redaction(redaction).build() : null;
    Api api = new Api(store, new Views(redaction), metrics, new ReplayLimiter(replayRate), longActions, maxBulk, runner);
    s.createContext("/", new Router(store, guard, tokens, api, new MetricsPage(store, metrics)));
    s.setExecutor(requests);
    s.start();
    server = s;
    if (runner != null) {
      try {
        runner.recover();
      } catch (RuntimeException e) { // the store is down or lacks the jobs table: serve anyway, jobs resume later
        org.slf4j.LoggerFactory.getLogger(AdminServer.class).warn("could not resume replay jobs: {}", e.toString());
      }
    }
    return this;
  }

  private HttpsServer https(InetSocketAddress bindTo) throws IOException {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(in, keystorePassword);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, keystorePassword);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), null, null);
      HttpsServer s = HttpsServer.create(bindTo, 128);
      s.setHttpsConfigurator(new HttpsConfigurator(tls));
      return s;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the keystore " + keystore + ": " + e.getMessage(), e);
    }
  }

  private static ThreadPoolExecutor pool(String name, int threads, java.util.concurrent.BlockingQueue<Runnable> q) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor p = new ThreadPoolExecutor(Math.min(4, threads), threads, 30, TimeUnit.SECONDS, q, r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    return p;
  }

  /** The port it listens on. */
  public int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getAddress().getPort();
  }

  /** Whether it answers HTTPS. */
  public boolean tls() {
    return keystore != null;
  }

  /** Stops listening at once; requests in flight are cut off. */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      requests.shutdownNow();
      longActions.shutdownNow();
      if (runner != null) {
        runner.close(); // running jobs stay RUNNING in the store and resume at the next start
      }
      server = null;
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Settings for an {@link AdminServer}. Mutable, not thread-safe. */
  public static final class Builder {
    private final DeadLetterStore store;
    private InetAddress address = InetAddress.getLoopbackAddress();
    private int port = 8080;
    private final Tokens tokens = new Tokens();
    private DlqMetrics metrics;
    private DeadLetterFormat redaction = DeadLetterFormat.defaults();
    private double replayRate = 50;
    private int maxBulk = 1000;
    private int threads = 128;
    private final Set<String> allowedHosts = new HashSet<>();
    private final Set<String> allowedOrigins = new HashSet<>();
    private Path keystore;
    private char[] keystorePassword;
    private final Set<String> editableTypes = new HashSet<>();

    private Builder(DeadLetterStore store) {
      if (store == null) {
        throw new IllegalArgumentException("store must not be null");
      }
      this.store = store;
    }

    /**
     * The address to listen on (default 127.0.0.1); anything but loopback needs a token.
     *
     * @throws IllegalArgumentException when it is not an IP address or a resolvable name
     */
    public Builder bind(String host) {
      try {
        this.address = InetAddress.getByName(host);
      } catch (IOException e) {
        throw new IllegalArgumentException("bind must be an address to listen on but was '" + host + "'");
      }
      return this;
    }

    /** The port (default 8080); 0 for any free one, see {@link AdminServer#port()}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be from 0 to 65535 but was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Accepts {@code Authorization: Bearer <secret>} as {@code name} with {@code role}. With no token
     * at all, anyone who reaches the loopback address is admin and may name themselves with
     * {@code X-Dlq-Operator}.
     *
     * @throws IllegalArgumentException when the name is taken or empty, or the secret shorter than 8
     */
    public Builder token(String name, Role role, String secret) {
      tokens.add(name, role, secret);
      return this;
    }

    /** A token written as {@code name:role:secret}, as {@code dlq serve --token} takes it. */
    public Builder token(String spec) {
      tokens.addSpec(spec);
      return this;
    }

    /** Tokens from a UTF-8 file, one {@code name:role:secret} a line, # for comments. */
    public Builder tokensFile(Path file) {
      tokens.addFile(file);
      return this;
    }

    /** Where replays are counted and what {@code /metrics} shows (default: a fresh registry). */
    public Builder metrics(DlqMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    /** Which header and payload fields every view and export hides (default {@link DeadLetterFormat#defaults()}). */
    public Builder redaction(DeadLetterFormat redaction) {
      this.redaction = redaction;
      return this;
    }

    /** At most this many replayed messages a second, over all requests together (default 50); 0 for no limit. */
    public Builder replayRate(double perSecond) {
      if (!(perSecond >= 0) || perSecond > 100_000) {
        throw new IllegalArgumentException("replayRate must be from 0 to 100000 but was " + perSecond);
      }
      this.replayRate = perSecond;
      return this;
    }

    /**
     * Allows {@code POST /api/dead-letters/{id}/edit-replay} on dead letters of these message types
     * ({@code *}: every type); repeatable. Off by default: without it every edit is refused with 403.
     */
    public Builder allowEdits(String... types) {
      for (String t : types) {
        if (t == null || t.isBlank()) {
          throw new IllegalArgumentException("an editable type must not be blank");
        }
        editableTypes.add(t.trim());
      }
      return this;
    }

    /** At most this many dead letters per bulk request (default 1000). */
    public Builder maxBulk(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxBulk must be >= 1 but was " + n);
      }
      this.maxBulk = n;
      return this;
    }

    /** Request threads (default 128): how many slow clients it takes to make others wait. */
    public Builder threads(int n) {
      if (n < 2 || n > 1000) {
        throw new IllegalArgumentException("threads must be from 2 to 1000 but was " + n);
      }
      this.threads = n;
      return this;
    }

    /**
     * Another {@code Host} this server answers for, as {@code name} (any port) or {@code name:port},
     * for example the name a reverse proxy forwards.
     */
    public Builder allowedHost(String host) {
      String h = host.trim().toLowerCase(Locale.ROOT);
      if (h.isEmpty() || Text.hasUnsafe(h) || h.contains("/")) {
        throw new IllegalArgumentException("allowedHost must be a host name or name:port but was '" + host + "'");
      }
      allowedHosts.add(h);
      return this;
    }

    /** Another {@code Origin} whose pages may change things, such as {@code https://dlq.example.com}. */
    public Builder allowedOrigin(String origin) {
      String o = origin.trim().toLowerCase(Locale.ROOT);
      if (!o.matches("https?://[^/\\s]+")) {
        throw new IllegalArgumentException("allowedOrigin must look like https://host[:port] but was '" + origin + "'");
      }
      allowedOrigins.add(o);
      return this;
    }

    /** Answers HTTPS with the key in this keystore (PKCS12 or JKS) instead of HTTP. */
    public Builder tls(Path keystore, char[] password) {
      if (!Files.isReadable(keystore)) {
        throw new IllegalArgumentException("cannot read the keystore " + keystore);
      }
      this.keystore = keystore;
      this.keystorePassword = password.clone();
      return this;
    }

    /**
     * @throws IllegalArgumentException when a non-loopback address has no token
     */
    public AdminServer build() {
      if (!address.isLoopbackAddress() && tokens.isEmpty()) {
        throw new IllegalArgumentException("binding to " + address.getHostAddress() + " exposes the admin API: set a"
            + " token (--token name:role:secret or DLQ_ADMIN_TOKEN), or bind to 127.0.0.1");
      }
      if (metrics == null) {
        metrics = DlqMetrics.create();
      }
      return new AdminServer(this);
    }
  }
}
