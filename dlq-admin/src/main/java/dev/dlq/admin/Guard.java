package dev.dlq.admin;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.Locale;
import java.util.Set;

/**
 * What the browser cannot be trusted to enforce: the request is for this server (Host, against DNS
 * rebinding), a changing request comes from this server's own pages (Origin, Sec-Fetch-Site, or a
 * header a cross-site "simple" request cannot carry) and is JSON; and the headers that stop the
 * console being framed or reading injected markup as script.
 */
final class Guard {
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";
  static final String REQUEST_HEADER = "X-Dlq-Request";
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

  private final int port;
  private final boolean tls;
  private final Set<String> allowedHosts;
  private final Set<String> allowedOrigins;

  /**
   * @param allowedHosts extra Host values, lower case: {@code name} (any port) or {@code name:port}
   * @param allowedOrigins extra Origin values, lower case, such as {@code https://dlq.example.com}
   */
  Guard(int port, boolean tls, Set<String> allowedHosts, Set<String> allowedOrigins) {
    this.port = port;
    this.tls = tls;
    this.allowedHosts = Set.copyOf(allowedHosts);
    this.allowedOrigins = Set.copyOf(allowedOrigins);
  }

  static void secureHeaders(HttpExchange ex) {
    Headers h = ex.getResponseHeaders();
    h.set("Content-Security-Policy", CSP);
    h.set("X-Frame-Options", "DENY");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
    h.set("Cache-Control", "no-store");
  }

  /** 421 unless the Host header names this server. */
  void checkHost(HttpExchange ex) {
    String host = ex.getRequestHeaders().getFirst("Host");
    if (host == null || host.isBlank()) {
      throw HttpError.badRequest("the Host header is missing");
    }
    if (!hostAllowed(host.trim().toLowerCase(Locale.ROOT))) {
      throw new HttpError(421, "this server does not answer for Host '" + Text.clean(host, 100)
          + "' (allow it with --allowed-host)");
    }
  }

  private boolean hostAllowed(String authority) {
    if (allowedHosts.contains(authority)) {
      return true;
    }
    int colon = authority.lastIndexOf(':');
    String name = authority;
    int p = tls ? 443 : 80;
    if (colon > authority.lastIndexOf(']')) {
      name = authority.substring(0, colon);
      try {
        p = Integer.parseInt(authority.substring(colon + 1));
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return p == port && (LOOPBACK.contains(name) || allowedHosts.contains(name));
  }

  /**
   * A request that changes something: 403 unless it comes from this server's pages or carries a
   * header a cross-site simple request cannot; 415 unless it is JSON.
   */
  void checkWrite(HttpExchange ex) {
    Headers h = ex.getRequestHeaders();
    String site = h.getFirst("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      throw new HttpError(403, "a " + Text.clean(site, 20) + " request may not change anything here");
    }
    String origin = h.getFirst("Origin");
    if (origin != null) {
      if (!originAllowed(origin.trim().toLowerCase(Locale.ROOT))) {
        throw new HttpError(403, "Origin '" + Text.clean(origin, 100) + "' may not change anything here");
      }
    } else if (h.getFirst(REQUEST_HEADER) == null && h.getFirst("Authorization") == null) {
      throw new HttpError(403, "a changing request needs this server's Origin, an Authorization header or "
          + REQUEST_HEADER + ": 1");
    }
    String type = h.getFirst("Content-Type");
    String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!media.equals("application/json")) {
      throw new HttpError(415, "Content-Type must be application/json");
    }
    String lower = type.toLowerCase(Locale.ROOT).replace(" ", "");
    if (lower.contains("charset=") && !lower.contains("charset=utf-8")) {
      throw new HttpError(415, "the body must be UTF-8");
    }
  }

  private boolean originAllowed(String origin) {
    if (allowedOrigins.contains(origin)) {
      return true;
    }
    String scheme = tls ? "https://" : "http://";
    return origin.startsWith(scheme) && hostAllowed(origin.substring(scheme.length()));
  }
}
