package dev.dlq.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The web console: one static page over the admin API. */
final class Console {
  private static volatile String html;

  private Console() {}

  static String html() {
    String h = html;
    if (h == null) {
      try (InputStream in = Console.class.getResourceAsStream("console.html")) {
        if (in == null) {
          throw new IllegalStateException("console.html is missing from the dlq-admin jar");
        }
        h = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      html = h;
    }
    return h;
  }
}
