package dev.dlq.admin;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import jakarta.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading requests within limits and writing answers, for the admin server. */
final class Http {
  static final int MAX_BODY = 1 << 20;
  static final int MAX_URI = 8 * 1024;
  static final int MAX_HEADERS = 16 * 1024;
  static final int MAX_HEADER_LINES = 100;
  static final String JSON = "application/json; charset=utf-8";

  private Http() {}

  /** 414 and 431 before anything else looks at the request. */
  static void checkSizes(HttpExchange ex) {
    if (ex.getRequestURI().toString().length() > MAX_URI) {
      throw new HttpError(414, "the request URI is longer than " + MAX_URI + " characters");
    }
    long size = 0;
    int lines = 0;
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      for (String v : h.getValue()) {
        size += h.getKey().length() + v.length() + 4;
        lines++;
      }
    }
    if (size > MAX_HEADERS || lines > MAX_HEADER_LINES) {
      throw new HttpError(431, "the request headers are larger than " + MAX_HEADERS + " bytes or "
          + MAX_HEADER_LINES + " lines");
    }
  }

  /** The body, at most {@link #MAX_BODY} bytes (413 past that). */
  static byte[] body(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > MAX_BODY) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw HttpError.badRequest("Content-Length must be a number");
      }
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw tooLarge();
      }
      return bytes;
    }
  }

  private static HttpError tooLarge() {
    return new HttpError(413, "the request body is larger than " + MAX_BODY + " bytes");
  }

  /** The query parameters, strictly decoded; only {@code allowed} names, each at most once. */
  static Map<String, String> query(HttpExchange ex, Set<String> allowed) {
    Map<String, String> m = new LinkedHashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String kv : raw.split("&")) {
      if (kv.isEmpty()) {
        continue;
      }
      int eq = kv.indexOf('=');
      String k = decode(eq < 0 ? kv : kv.substring(0, eq), true);
      String v = eq < 0 ? "" : decode(kv.substring(eq + 1), true);
      if (!allowed.contains(k)) {
        throw HttpError.badRequest("unknown query parameter '" + Text.clean(k, 64) + "' (known: "
            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      }
      if (m.put(k, v) != null) {
        throw HttpError.badRequest("query parameter '" + k + "' is given twice");
      }
    }
    return m;
  }

  /** Percent-decoding that refuses malformed escapes and invalid UTF-8 instead of guessing. */
  static String decode(String raw, boolean plusIsSpace) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          throw HttpError.badRequest("malformed percent-encoding in the request URI");
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    return utf8(bytes.toByteArray(), "the request URI");
  }

  /** {@code bytes} as UTF-8, or a 400 naming {@code what} when they are not. */
  static String utf8(byte[] bytes, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw HttpError.badRequest(what + " is not valid UTF-8");
    }
  }

  /**
   * A header as UTF-8. The JDK server reads header bytes as ISO-8859-1; a client that sends UTF-8
   * (the console does) gets its text back intact, anything else is kept as it came.
   */
  static String headerUtf8(Headers h, String name) {
    String v = h.getFirst(name);
    if (v == null) {
      return null;
    }
    try {
      return utf8(v.getBytes(StandardCharsets.ISO_8859_1), name);
    } catch (HttpError e) {
      return v;
    }
  }

  static void json(HttpExchange ex, int status, String body) throws IOException {
    send(ex, status, JSON, body.getBytes(StandardCharsets.UTF_8));
  }

  static void error(HttpExchange ex, int status, String message) throws IOException {
    json(ex, status, Json.createObjectBuilder().add("error", String.valueOf(message)).build().toString());
  }

  /** Sends an answer; a HEAD request gets the same headers and no body. */
  static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", type);
    if (ex.getRequestMethod().equals("HEAD") || status == 204) {
      if (status != 204) {
        h.set("Content-Length", Integer.toString(body.length));
      }
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}
