package dev.dlq.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterStatus;
import dev.dlq.DlqException;
import dev.dlq.spi.DeadLetterStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request's way in: sizes, Host, security headers, then the console's files, health, metrics
 * and the API, each behind the checks it needs. Every error leaves as {@code {"error": "..."}}; what
 * went wrong inside goes to the log with a reference, never to the client.
 */
final class Router implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(Router.class);
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  static final AtomicLong REFS = new AtomicLong();

  private final DeadLetterStore store;
  private final Guard guard;
  private final Tokens tokens;
  private final Api api;
  private final MetricsPage metrics;

  Router(DeadLetterStore store, Guard guard, Tokens tokens, Api api, MetricsPage metrics) {
    this.store = store;
    this.guard = guard;
    this.tokens = tokens;
    this.api = api;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Guard.secureHeaders(ex);
      String method = ex.getRequestMethod();
      try {
        route(ex, method);
      } catch (HttpError e) {
        Http.error(ex, e.status, e.getMessage());
      } catch (IllegalArgumentException e) {
        Http.error(ex, 400, e.getMessage());
      } catch (DlqException e) {
        long ref = REFS.incrementAndGet();
        log.warn("admin request {} {} failed in the store (ref {})", method, ex.getRequestURI().getRawPath(), ref, e);
        Http.error(ex, 503, "the dead-letter store failed; see the server log (ref " + ref + ")");
      } catch (IOException e) {
        throw e;
      } catch (Exception e) {
        long ref = REFS.incrementAndGet();
        log.warn("admin request {} {} failed (ref {})", method, ex.getRequestURI().getRawPath(), ref, e);
        Http.error(ex, 500, "internal error; see the server log (ref " + ref + ")");
      }
    }
  }

  private void route(HttpExchange ex, String method) throws Exception {
    Http.checkSizes(ex);
    String path = ex.getRequestURI().getRawPath();
    if (path.equals("/health")) {
      requireMethod(method, "GET");
      store.count(DeadLetterFilter.builder().status(DeadLetterStatus.PENDING).build());
      Http.json(ex, 200, "{\"status\":\"ok\"}");
      return;
    }
    guard.checkHost(ex);
    if (method.equals("OPTIONS")) {
      ex.getResponseHeaders().set("Allow", "GET, HEAD, POST, OPTIONS");
      Http.send(ex, 204, Http.JSON, new byte[0]);
      return;
    }
    if (Console.serves(path)) {
      requireMethod(method, "GET");
      Console.send(ex, path);
      return;
    }
    if (WRITES.contains(method)) {
      guard.checkWrite(ex);
    }
    List<String> seg = segments(path);
    if (path.equals("/metrics")) {
      caller(ex);
      requireMethod(method, "GET");
      metrics.send(ex);
      return;
    }
    if (seg.isEmpty() || !seg.get(0).equals("api")) {
      throw HttpError.notFound("no such endpoint: " + method + " " + Text.clean(path, 200));
    }
    api.handle(ex, caller(ex), method, seg.subList(1, seg.size()));
  }

  /** Who is asking: the token's name and role, or on a server without tokens, anyone as admin. */
  private Caller caller(HttpExchange ex) {
    if (tokens.isEmpty()) {
      String name = Http.headerUtf8(ex.getRequestHeaders(), "X-Dlq-Operator");
      return new Caller(Text.name(name, "console"), AdminServer.Role.ADMIN);
    }
    String h = ex.getRequestHeaders().getFirst("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new HttpError(401, "this server needs a bearer token (Authorization: Bearer <token>)");
    }
    return tokens.find(h.substring(7).trim()).orElseThrow(() -> new HttpError(401, "unknown token"));
  }

  /** The decoded path segments; an empty one (a double or trailing slash) is a 404. */
  private static List<String> segments(String rawPath) {
    List<String> seg = new ArrayList<>();
    if (rawPath.equals("/")) {
      return seg;
    }
    for (String s : rawPath.substring(1).split("/", -1)) {
      if (s.isEmpty()) {
        throw HttpError.notFound("no such endpoint: " + Text.clean(rawPath, 200));
      }
      seg.add(Http.decode(s, false));
    }
    return seg;
  }

  /** GET also allows HEAD. */
  static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed) && !(allowed.equals("GET") && method.equals("HEAD"))) {
      throw new HttpError(405, "method " + Text.clean(method, 20) + " not allowed; use " + allowed);
    }
  }
}
