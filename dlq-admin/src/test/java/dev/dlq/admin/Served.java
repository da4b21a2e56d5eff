package dev.dlq.admin;

import dev.dlq.DeadLetterFormat;
import dev.dlq.InMemory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** An admin server really started on an ephemeral port over an in-memory backend, and ways to call it. */
final class Served implements AutoCloseable {
  final String backend;
  final InMemory mem;
  final AdminServer server;
  final HttpClient http = HttpClient.newHttpClient();

  private Served(String backend, AdminServer server) {
    this.backend = backend;
    this.mem = InMemory.named(backend);
    this.server = server;
  }

  /** Over the two dead letters of {@link Fixtures#backendWithTwoDeadLetters()}. */
  static Served start(Consumer<AdminServer.Builder> config) throws IOException {
    return start(Fixtures.backendWithTwoDeadLetters(), config);
  }

  static Served start(String backend, Consumer<AdminServer.Builder> config) throws IOException {
    AdminServer.Builder b = AdminServer.builder(InMemory.named(backend).store()).port(0).replayRate(1000)
        .redaction(DeadLetterFormat.defaults().withRedactedHeaders(Set.of("authorization")));
    config.accept(b);
    return new Served(backend, b.build().start());
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  /** A GET, or a POST of JSON the way the console sends it. */
  HttpResponse<String> call(String method, String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (!method.equals("GET") && !method.equals("HEAD")) {
      b.header("Content-Type", "application/json").header("X-Dlq-Request", "1");
    }
    headers.forEach(b::setHeader);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return call("GET", path, null, Map.of());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return call("POST", path, body, Map.of());
  }

  /** Sends {@code request} as bytes on a fresh socket and returns everything the server answers. */
  String raw(byte[] request) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; !complete(got.toString(StandardCharsets.UTF_8)) && (n = in.read(buf)) > 0; ) {
          got.write(buf, 0, n);
        }
      } catch (java.net.SocketException e) {
        // the server may reset a connection whose request it did not read to the end
      }
      return got.toString(StandardCharsets.UTF_8);
    }
  }

  /** Whether {@code text} holds a whole answer: headers and as many body bytes as Content-Length says. */
  private static boolean complete(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)")
        .matcher(text.substring(0, end));
    int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
    return text.substring(end + 4).getBytes(StandardCharsets.UTF_8).length >= length;
  }

  String raw(String request) throws IOException {
    return raw(request.getBytes(StandardCharsets.UTF_8));
  }

  /** A raw request line and headers with {@code Connection: close}. */
  String rawGet(String target, String host, String... headers) throws IOException {
    StringBuilder b = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return raw(b.append("\r\n").toString());
  }

  String host() {
    return "127.0.0.1:" + server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
