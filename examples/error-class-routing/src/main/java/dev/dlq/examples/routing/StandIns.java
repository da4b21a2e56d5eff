package dev.dlq.examples.routing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dlq.alerts.AlertJson;
import dev.dlq.alerts.WebhookVerifier;
import dev.dlq.spi.Alert;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** The systems around the example, on real HTTP: the chart renderer and the ops team's webhook receiver. */
final class StandIns {
  private StandIns() {}

  /** The chart renderer: answers each chart the same way every time, except "forecast" during the outage. */
  static final class Renderer implements AutoCloseable {
    static final Map<String, String> ANSWERS = Map.of(
        "sales", "200 rendered",
        "traffic", "200 rendered",
        "forecast", "503 overloaded, try again later",           // 200 once the outage is over
        "no-such-dataset", "404 no such dataset",
        "pie-with-negative-slices", "400 a pie cannot have negative slices",
        "legacy-heatmap", "500 internal error",
        "sankey", "409 sankey charts are being migrated");     // a status nobody classified

    final AtomicBoolean outage = new AtomicBoolean(true);
    final Map<String, Integer> rendered = new ConcurrentHashMap<>();
    private final HttpServer server;

    Renderer(int port) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      server.createContext("/render", this::render);
      server.start();
    }

    private void render(HttpExchange ex) throws IOException {
      String chart;
      try (JsonReader spec = Json.createReader(ex.getRequestBody())) {
        chart = spec.readObject().getString("chart", "");
      } catch (JsonException | ClassCastException e) {
        chart = "";  // not a chart spec: 422 below
      }
      String answer = chart.equals("forecast") && !outage.get() ? "200 rendered" : ANSWERS.getOrDefault(chart, "422 no chart");
      if (answer.startsWith("200")) {
        rendered.merge(chart, 1, Integer::sum);
      }
      respond(ex, Integer.parseInt(answer.substring(0, 3)), answer.substring(4));
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** The ops team's receiver: keeps every alert whose signature is valid, once per alert id; refuses the rest. */
  static final class OpsReceiver implements AutoCloseable {
    final Map<String, Alert> alerts = new ConcurrentHashMap<>(); // by id: a retried delivery may bring one twice
    private final WebhookVerifier verifier;
    private final HttpServer server;

    OpsReceiver(int port, String secret) throws IOException {
      verifier = WebhookVerifier.of(secret);
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      server.createContext("/hooks/dlq", this::receive);
      server.start();
    }

    private void receive(HttpExchange ex) throws IOException {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (verifier.verify(ex.getRequestHeaders().getFirst("X-Dlq-Signature"), body) != WebhookVerifier.Result.VALID) {
        respond(ex, 401, "bad signature");
        return;
      }
      Alert alert = AlertJson.read(new String(body, StandardCharsets.UTF_8));
      alerts.putIfAbsent(alert.id(), alert);
      respond(ex, 200, "ok");
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static void respond(HttpExchange ex, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }
}
