package dev.dlq.examples.natsmonitor;

import com.sun.net.httpserver.HttpServer;
import dev.dlq.alerts.AlertJson;
import dev.dlq.alerts.WebhookNotifier;
import dev.dlq.alerts.WebhookVerifier;
import dev.dlq.spi.Alert;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The operations team's end of the webhook (a JDK HTTP server on a free port): it checks each
 * alert's signature and timestamp, answers 401 to anything else, and keeps each alert once (a
 * sender may deliver one alert twice, so receivers deduplicate on its id).
 */
final class AlertReceiver implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
  /** The alerts received, in order, once each. */
  final List<Alert> alerts = new CopyOnWriteArrayList<>();

  private AlertReceiver(String secret) throws IOException {
    WebhookVerifier verifier = WebhookVerifier.of(secret); // 5 minutes' tolerance for the timestamp
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hooks/dlq", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String signature = exchange.getRequestHeaders().getFirst(WebhookNotifier.SIGNATURE_HEADER);
      boolean valid = verifier.verify(signature, body) == WebhookVerifier.Result.VALID;
      if (valid) {
        Alert alert = AlertJson.read(new String(body, StandardCharsets.UTF_8));
        if (seen.putIfAbsent(alert.id(), Boolean.TRUE) == null) {
          alerts.add(alert);
        }
      }
      exchange.sendResponseHeaders(valid ? 204 : 401, -1);
      exchange.close();
    });
    server.start();
  }

  static AlertReceiver start(String secret) throws IOException {
    return new AlertReceiver(secret);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/dlq");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
