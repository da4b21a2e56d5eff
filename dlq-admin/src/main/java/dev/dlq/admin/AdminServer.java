package dev.dlq.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStatus;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.Page;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.DeadLetterStore;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP admin API, the web console and the metrics endpoint over one {@link DeadLetterStore}.
 * Binds to loopback by default; any other address needs a token, sent as {@code Authorization:
 * Bearer <token>} on every {@code /api} and {@code /metrics} request. Replays are rate-limited;
 * configured header and payload fields are redacted in every view and export.
 */
final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final int MAX_BODY = 1 << 20;

  private final DeadLetterStore store;
  private final Views views;
  private final DlqMetrics metrics;
  private volatile Map<DeadLetterStatus, Long> counts = Map.of();
  private final byte[] token;
  private final double replayRate;
  private final HttpServer server;

  /**
   * Starts the server.
   *
   * @param bind the address to listen on; a non-loopback address requires {@code token}
   * @param port the port, 0 for any free one
   * @param token the bearer token, or null (loopback only)
   * @param replayRate at most this many replayed messages a second, per request
   * @throws IllegalArgumentException when a non-loopback address has no token
   */
  AdminServer(DeadLetterStore store, Views views, DlqMetrics metrics, String bind, int port, String token,
      double replayRate) throws IOException {
    InetAddress address = InetAddress.getByName(bind);
    if (!address.isLoopbackAddress() && (token == null || token.isBlank())) {
      throw new IllegalArgumentException("binding to " + bind + " exposes the admin API: set a token (--token or"
          + " DLQ_ADMIN_TOKEN), or bind to 127.0.0.1");
    }
    this.store = store;
    this.views = views;
    this.metrics = metrics;
    for (DeadLetterStatus st : DeadLetterStatus.values()) {
      metrics.gauge(dev.dlq.spi.DlqGauge.DEAD_LETTERS, List.of("admin", st.name().toLowerCase(java.util.Locale.ROOT)),
          () -> counts.getOrDefault(st, 0L));
    }
    this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    this.replayRate = replayRate;
    this.server = HttpServer.create(new InetSocketAddress(address, port), 64);
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "dlq-admin-http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      try {
        if (path.equals("/health")) {
          store.count(DeadLetterFilter.builder().status(DeadLetterStatus.PENDING).build());
          send(ex, 200, "application/json", "{\"status\":\"ok\"}");
          return;
        }
        if (path.equals("/") || path.equals("/console")) {
          requireMethod(method, "GET");
          send(ex, 200, "text/html; charset=utf-8", Console.html());
          return;
        }
        if (!authorized(ex)) {
          send(ex, 401, "application/json", error("missing or wrong bearer token"));
          return;
        }
        if (path.equals("/metrics")) {
          requireMethod(method, "GET");
          sendMetrics(ex);
          return;
        }
        if (path.equals("/api/audit")) {
          requireMethod(method, "GET");
          int limit = Filters.intIn("limit", query(ex).getOrDefault("limit", "100"), 1, 10_000);
          JsonArrayBuilder arr = Json.createArrayBuilder();
          store.audit(limit).forEach(e -> arr.add(Json.createObjectBuilder().add("at", e.at().toString())
              .add("operator", e.operator()).add("action", e.action()).add("target", e.target())
              .add("count", e.count()).add("detail", e.detail())));
          send(ex, 200, "application/json", Json.createObjectBuilder().add("items", arr).build().toString());
          return;
        }
        if (path.startsWith("/api/dead-letters")) {
          deadLetters(ex, method, path.substring("/api/dead-letters".length()));
          return;
        }
        send(ex, 404, "application/json", error("no such endpoint: " + method + " " + path));
      } catch (NotFound e) {
        send(ex, 404, "application/json", error(e.getMessage()));
      } catch (MethodNotAllowed e) {
        ex.getResponseHeaders().set("Allow", e.getMessage());
        send(ex, 405, "application/json", error("method not allowed; use " + e.getMessage()));
      } catch (IllegalArgumentException | JsonException | ClassCastException e) {
        send(ex, 400, "application/json", error(e.getMessage()));
      } catch (RuntimeException e) {
        log.warn("admin request {} {} failed", method, path, e);
        send(ex, 500, "application/json", error("internal error: " + e.getClass().getSimpleName()));
      }
    }
  }

  private void deadLetters(HttpExchange ex, String method, String rest) throws IOException {
    Map<String, String> q = query(ex);
    String operator = Optional.ofNullable(ex.getRequestHeaders().getFirst("X-Dlq-Operator")).orElse("api");
    if (rest.isEmpty() || rest.equals("/")) {
      requireMethod(method, "GET");
      int limit = Filters.intIn("limit", q.getOrDefault("limit", "50"), 1, DeadLetterQuery.MAX_LIMIT);
      DeadLetterQuery dq = DeadLetterQuery.of(Filters.parse(q), limit);
      if (q.containsKey("cursor")) {
        dq = dq.after(q.get("cursor"));
      }
      Page<StoredDeadLetter> page = store.find(dq);
      JsonArrayBuilder arr = Json.createArrayBuilder();
      page.items().forEach(s -> arr.add(views.summary(s)));
      JsonObjectBuilder o = Json.createObjectBuilder().add("items", arr);
      page.nextCursor().ifPresent(c -> o.add("nextCursor", c));
      send(ex, 200, "application/json", o.build().toString());
      return;
    }
    if (rest.equals("/stats")) {
      requireMethod(method, "GET");
      send(ex, 200, "application/json", Views.stats(store.stats(Filters.parse(q))).build().toString());
      return;
    }
    if (rest.equals("/replay") || rest.equals("/resolve") || rest.equals("/discard") || rest.equals("/purge")) {
      requireMethod(method, "POST");
      JsonObject body = body(ex);
      switch (rest) {
        case "/replay": {
          List<String> ids = ids(body);
          ReplayRequest r = ids.isEmpty()
              ? ReplayRequest.ofFilter(Filters.parse(strings(body.getJsonObject("filter"))), operator)
              : ReplayRequest.ofIds(ids, operator);
          if (ids.isEmpty() && !body.containsKey("filter")) {
            throw new IllegalArgumentException("replay needs \"ids\" or a \"filter\"");
          }
          sendReplay(ex, body.getBoolean("dryRun", false) ? r.asDryRun() : r);
          return;
        }
        case "/resolve":
          sendCount(ex, "resolved", store.resolve(requireIds(body), operator, body.getString("note", "")));
          return;
        case "/discard":
          sendCount(ex, "discarded", store.discard(requireIds(body), operator, body.getString("note", "")));
          return;
        default: {
          Instant cutoff = Instant.now().minus(Filters.age("olderThan", body.getString("olderThan", "")));
          sendCount(ex, "purged", store.purge(cutoff, operator));
          return;
        }
      }
    }
    String[] parts = rest.substring(1).split("/");
    String id = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
    if (parts.length == 1) {
      requireMethod(method, "GET");
      StoredDeadLetter s = store.get(id).orElseThrow(() -> new NotFound("no dead letter with id '" + id + "'"));
      send(ex, 200, "application/json", views.full(s));
      return;
    }
    if (parts.length == 2) {
      requireMethod(method, "POST");
      if (store.get(id).isEmpty()) {
        throw new NotFound("no dead letter with id '" + id + "'");
      }
      JsonObject body = body(ex);
      switch (parts[1]) {
        case "replay":
          sendReplay(ex, body.getBoolean("dryRun", false) ? ReplayRequest.ofIds(List.of(id), operator).asDryRun()
              : ReplayRequest.ofIds(List.of(id), operator));
          return;
        case "resolve":
          sendCount(ex, "resolved", store.resolve(List.of(id), operator, body.getString("note", "")));
          return;
        case "discard":
          sendCount(ex, "discarded", store.discard(List.of(id), operator, body.getString("note", "")));
          return;
        default:
          break;
      }
    }
    throw new NotFound("no such endpoint: " + method + " /api/dead-letters" + rest);
  }

  private void sendReplay(HttpExchange ex, ReplayRequest r) throws IOException {
    ReplayResult res = store.replay(replayRate > 0 ? r.withRate(replayRate) : r);
    if (!res.dryRun()) {
      metrics.replayed("admin", res.replayed());
    }
    JsonArrayBuilder skipped = Json.createArrayBuilder();
    res.skipped().forEach(skipped::add);
    send(ex, 200, "application/json", Json.createObjectBuilder().add("replayId", res.replayId())
        .add("matched", res.matched()).add("replayed", res.replayed()).add("dryRun", res.dryRun())
        .add("wouldReplay", res.matched() - res.skipped().size()).add("skipped", skipped).build().toString());
  }

  private static void sendCount(HttpExchange ex, String what, long n) throws IOException {
    send(ex, 200, "application/json", Json.createObjectBuilder().add(what, n).build().toString());
  }

  private void sendMetrics(HttpExchange ex) throws IOException {
    Map<DeadLetterStatus, Long> byStatus = new EnumMap<>(DeadLetterStatus.class);
    for (DeadLetterStatus s : DeadLetterStatus.values()) {
      byStatus.put(s, 0L);
    }
    byStatus.putAll(store.stats(DeadLetterFilter.all()).byStatus());
    counts = byStatus; // read by the dlq_dead_letters gauge during the scrape below
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, metrics.registry().scrape());
    send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", out.toString(StandardCharsets.UTF_8));
  }

  private boolean authorized(HttpExchange ex) {
    if (token == null) {
      return true;
    }
    String h = ex.getRequestHeaders().getFirst("Authorization");
    if (h == null || !h.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(token, h.substring(7).trim().getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> ids(JsonObject body) {
    List<String> ids = new ArrayList<>();
    if (body.containsKey("ids")) {
      for (JsonValue v : body.getJsonArray("ids")) {
        ids.add(((JsonString) v).getString());
      }
    }
    return ids;
  }

  private static List<String> requireIds(JsonObject body) {
    List<String> ids = ids(body);
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("the body needs \"ids\": [\"...\"]");
    }
    return ids;
  }

  private static Map<String, String> strings(JsonObject o) {
    Map<String, String> m = new HashMap<>();
    if (o != null) {
      o.forEach((k, v) -> m.put(k, v instanceof JsonString s ? s.getString() : v.toString()));
    }
    return m;
  }

  private static JsonObject body(HttpExchange ex) throws IOException {
    byte[] bytes;
    try (InputStream in = ex.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    }
    if (bytes.length > MAX_BODY) {
      throw new IllegalArgumentException("request body larger than " + MAX_BODY + " bytes");
    }
    if (bytes.length == 0) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    try (JsonReader r = Json.createReader(new ByteArrayInputStream(bytes))) {
      return r.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw new IllegalArgumentException("the body must be a JSON object: " + e.getMessage());
    }
  }

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> m = new HashMap<>();
    String raw = URI.create(ex.getRequestURI().toString()).getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      m.put(k, v);
    }
    return m;
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new MethodNotAllowed(allowed);
    }
  }

  private static String error(String message) {
    return Json.createObjectBuilder().add("error", String.valueOf(message)).build().toString();
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound(String m) {
      super(m);
    }
  }

  private static final class MethodNotAllowed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MethodNotAllowed(String allowed) {
      super(allowed);
    }
  }
}
