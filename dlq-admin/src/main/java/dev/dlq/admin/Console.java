package dev.dlq.admin;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The web console: static files over the admin API, no build step, no inline script or style. */
final class Console {
  private static final Map<String, String[]> FILES = Map.of(
      "/", new String[] {"console.html", "text/html; charset=utf-8"},
      "/console", new String[] {"console.html", "text/html; charset=utf-8"},
      "/console.js", new String[] {"console.js", "text/javascript; charset=utf-8"},
      "/console.css", new String[] {"console.css", "text/css; charset=utf-8"});
  private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

  private Console() {}

  static boolean serves(String path) {
    return FILES.containsKey(path);
  }

  static void send(HttpExchange ex, String path) throws IOException {
    String[] f = FILES.get(path);
    Http.send(ex, 200, f[1], bytes(f[0]));
  }

  static byte[] bytes(String name) {
    return CACHE.computeIfAbsent(name, n -> {
      try (InputStream in = Console.class.getResourceAsStream(n)) {
        if (in == null) {
          throw new IllegalStateException(n + " is missing from the dlq-admin jar");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
