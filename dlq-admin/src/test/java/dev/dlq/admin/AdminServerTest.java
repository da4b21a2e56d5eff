package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.InMemory;
import dev.dlq.SourceRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  private final String backend = Fixtures.backendWithTwoDeadLetters();
  private final InMemory mem = InMemory.named(backend);
  private final String id1 = DeadLetter.idFor(SourceRef.of("memory", "orders"), "m-1");
  private final HttpClient http = HttpClient.newHttpClient();
  private AdminServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private AdminServer start(String token) throws Exception {
    server = new AdminServer(mem.store(), new Views(DeadLetterFormat.defaults().withRedactedHeaders(Set.of("authorization"))),
        DlqMetrics.create(), "127.0.0.1", 0, token, 1000);
    return server;
  }

  private HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("X-Dlq-Operator", "alice");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void listsShowsAndRedacts() throws Exception {
    start(null);
    HttpResponse<String> list = call("GET", "/api/dead-letters?type=order.created", null, null);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains(id1).doesNotContain("payment.captured");
    HttpResponse<String> one = call("GET", "/api/dead-letters/" + id1, null, null);
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.body()).contains("[REDACTED]").doesNotContain("s3cret");
    assertThat(call("GET", "/api/dead-letters/stats", null, null).body()).contains("\"total\":2");
    assertThat(call("GET", "/", null, null).body()).contains("<title>dlq console</title>");
    assertThat(call("GET", "/health", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void replaySendsOnceAndIsCountedAndAudited() throws Exception {
    start(null);
    HttpResponse<String> r = call("POST", "/api/dead-letters/" + id1 + "/replay", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"replayed\":1");
    assertThat(call("POST", "/api/dead-letters/" + id1 + "/replay", null, null).body()).contains("\"replayed\":0");
    assertThat(mem.size("orders")).isEqualTo(1);
    String metrics = call("GET", "/metrics", null, null).body();
    assertThat(metrics).contains("dlq_replays_total{store=\"admin\"} 1.0")
        .contains("dlq_dead_letters{status=\"replayed\",store=\"admin\"} 1.0")
        .contains("dlq_dead_letters{status=\"pending\",store=\"admin\"} 1.0");
    assertThat(call("GET", "/api/audit", null, null).body()).contains("\"operator\":\"alice\"").contains("\"action\":\"replay\"");
  }

  @Test
  void bulkReplayByFilterWithADryRunFirst() throws Exception {
    start(null);
    HttpResponse<String> dry = call("POST", "/api/dead-letters/replay",
        "{\"filter\":{\"errorClass\":\"RECOVERABLE\"},\"dryRun\":true}", null);
    assertThat(dry.body()).contains("\"wouldReplay\":1").contains("\"dryRun\":true");
    assertThat(mem.size("orders")).isZero();
    assertThat(call("POST", "/api/dead-letters/replay", "{\"filter\":{\"errorClass\":\"RECOVERABLE\"}}", null).body())
        .contains("\"replayed\":1");
    assertThat(mem.size("orders")).isEqualTo(1);
  }

  @Test
  void badRequestsGetClearErrorsAndChangeNothing() throws Exception {
    start(null);
    assertThat(call("GET", "/api/dead-letters/nope", null, null).statusCode()).isEqualTo(404);
    HttpResponse<String> badFilter = call("GET", "/api/dead-letters?status=LOST", null, null);
    assertThat(badFilter.statusCode()).isEqualTo(400);
    assertThat(badFilter.body()).contains("status must be one of");
    HttpResponse<String> badBody = call("POST", "/api/dead-letters/resolve", "{not json", null);
    assertThat(badBody.statusCode()).isEqualTo(400);
    HttpResponse<String> unknown = call("POST", "/api/dead-letters/resolve", "{\"ids\":[\"" + id1 + "\",\"ghost\"]}", null);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("ghost");
    assertThat(mem.store().get(id1).orElseThrow().status()).isEqualTo(dev.dlq.DeadLetterStatus.PENDING);
    assertThat(call("DELETE", "/api/dead-letters/" + id1, null, null).statusCode()).isEqualTo(405);
    assertThat(call("POST", "/api/dead-letters/replay", "{}", null).statusCode()).isEqualTo(400);
  }

  @Test
  void aTokenIsRequiredWhenSet() throws Exception {
    start("t0k3n");
    assertThat(call("GET", "/api/dead-letters", null, null).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/api/dead-letters", null, "wrong").statusCode()).isEqualTo(401);
    assertThat(call("GET", "/metrics", null, null).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/api/dead-letters", null, "t0k3n").statusCode()).isEqualTo(200);
  }

  @Test
  void exposingTheApiWithoutATokenIsRefused() {
    assertThatThrownBy(() -> new AdminServer(mem.store(), new Views(DeadLetterFormat.defaults()), DlqMetrics.create(),
        "0.0.0.0", 0, null, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set a token");
  }
}
