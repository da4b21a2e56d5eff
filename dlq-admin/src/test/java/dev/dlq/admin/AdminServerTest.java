package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.DeadLetterStatus;
import dev.dlq.InMemory;
import java.net.BindException;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  private final String id1 = Fixtures.id("m-1");
  private Served s;

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  @Test
  void listsShowsAndRedacts() throws Exception {
    s = Served.start(b -> {});
    HttpResponse<String> list = s.get("/api/dead-letters?type=order.created");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains(id1).doesNotContain("payment.captured");
    HttpResponse<String> one = s.get("/api/dead-letters/" + id1);
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.body()).contains("[REDACTED]").doesNotContain("s3cret");
    assertThat(s.get("/api/dead-letters/stats").body()).contains("\"total\":2");
    assertThat(s.get("/").body()).contains("<title>dlq console</title>");
    assertThat(s.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void replaySendsOnceAndIsCountedAndAudited() throws Exception {
    s = Served.start(b -> {});
    Map<String, String> alice = Map.of("X-Dlq-Operator", "alice");
    HttpResponse<String> r = s.call("POST", "/api/dead-letters/" + id1 + "/replay", null, alice);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"replayed\":1");
    assertThat(s.call("POST", "/api/dead-letters/" + id1 + "/replay", null, alice).body()).contains("\"replayed\":0");
    assertThat(s.mem.size("orders")).isEqualTo(1);
    String metrics = s.get("/metrics").body();
    assertThat(metrics).contains("dlq_replays_total{store=\"admin\"} 1.0")
        .contains("dlq_dead_letters{status=\"replayed\",store=\"admin\"} 1.0")
        .contains("dlq_dead_letters{status=\"pending\",store=\"admin\"} 1.0");
    assertThat(s.get("/api/audit").body()).contains("\"operator\":\"alice\"").contains("\"action\":\"replay\"");
  }

  @Test
  void bulkReplayByFilterWithADryRunFirst() throws Exception {
    s = Served.start(b -> {});
    HttpResponse<String> dry = s.post("/api/dead-letters/replay", "{\"filter\":{\"errorClass\":\"RECOVERABLE\"},\"dryRun\":true}");
    assertThat(dry.body()).contains("\"wouldReplay\":1").contains("\"dryRun\":true");
    assertThat(s.mem.size("orders")).isZero();
    assertThat(s.post("/api/dead-letters/replay", "{\"filter\":{\"errorClass\":\"RECOVERABLE\"}}").body())
        .contains("\"replayed\":1");
    assertThat(s.mem.size("orders")).isEqualTo(1);
  }

  @Test
  void aBulkReplayLargerThanTheLimitIsRefusedBeforeAnythingIsSent() throws Exception {
    s = Served.start(b -> b.maxBulk(1));
    HttpResponse<String> r = s.post("/api/dead-letters/replay", "{\"filter\":{}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("matches 2").contains("at most 1");
    assertThat(s.mem.size("orders")).isZero();
  }

  @Test
  void aBulkReplayThatWouldRunLongerThanAMinuteIsRefused() throws Exception {
    s = Served.start(Fixtures.backendWith(61), b -> b.replayRate(1));
    HttpResponse<String> r = s.post("/api/dead-letters/replay", "{\"filter\":{}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("61 dead letters take 61 s at the replay rate of 1.0/s");
    assertThat(s.mem.size("orders")).isZero();
  }

  @Test
  void exportStreamsEveryMatchOldestFirstAsJsonLinesOrCsvRedacted() throws Exception {
    s = Served.start(b -> {});
    HttpResponse<String> json = s.get("/api/dead-letters/export");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("Content-Type")).hasValue("application/x-ndjson; charset=utf-8");
    java.util.List<String> lines = json.body().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(jakarta.json.Json.createReader(new java.io.StringReader(lines.get(0))).readObject()
        .getJsonObject("message").getString("id")).isEqualTo("m-1");
    assertThat(lines.get(1)).contains("\"m-2\"").contains("payment.captured");
    assertThat(json.body()).contains("[REDACTED]").doesNotContain("s3cret");

    HttpResponse<String> csv = s.get("/api/dead-letters/export?format=csv&type=payment.captured");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
    assertThat(csv.body().split("\r\n")).hasSize(2).startsWith(Views.CSV_HEADER);
    assertThat(csv.body().split("\r\n")[1]).startsWith("\"" + Fixtures.id("m-2") + "\",\"m-2\",\"payment.captured\"");

    HttpResponse<String> bad = s.get("/api/dead-letters/export?format=xml");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("format must be json or csv but was 'xml'");
    assertThat(s.get("/api/dead-letters/export?tpye=x").statusCode()).isEqualTo(400);
    assertThat(s.call("POST", "/api/dead-letters/export", "{}", Map.of()).statusCode()).isEqualTo(405);
  }

  @Test
  void anExportThatFailsMidStreamEndsWithAnErrorLineInsteadOfLookingComplete() throws Exception {
    dev.dlq.spi.DeadLetterStore real = InMemory.named(Fixtures.backendWithTwoDeadLetters()).store();
    dev.dlq.spi.DeadLetterStore failing = (dev.dlq.spi.DeadLetterStore) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {dev.dlq.spi.DeadLetterStore.class}, (proxy, m, args) -> {
          if (m.getName().equals("export")) {
            @SuppressWarnings("unchecked")
            java.util.function.Consumer<dev.dlq.StoredDeadLetter> sink = (java.util.function.Consumer<dev.dlq.StoredDeadLetter>) args[1];
            real.export((dev.dlq.DeadLetterFilter) args[0], d -> {
              sink.accept(d);
              throw new IllegalStateException("the store's cursor broke");
            });
            return null;
          }
          try {
            return m.invoke(real, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    AdminServer server = AdminServer.builder(failing).port(0).build().start();
    try {
      HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/dead-letters/export")).build(),
          HttpResponse.BodyHandlers.ofString());
      java.util.List<String> lines = r.body().lines().toList();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0)).contains("\"m-1\"");
      assertThat(lines.get(1)).matches("\\{\"error\":\"the export failed after 1 rows; see the server log \\(ref \\d+\\)\"}");
    } finally {
      server.close();
    }
  }

  @Test
  void failureGroupsCountAndSample() throws Exception {
    s = Served.start(b -> {});
    HttpResponse<String> g = s.get("/api/dead-letters/groups");
    assertThat(g.statusCode()).isEqualTo(200);
    assertThat(g.body()).contains("\"fingerprint\":\"fp\"").contains("\"count\":2")
        .contains("\"firstSeenHour\":\"2026-01-01T10:00:00Z\"").contains("\"lastSeen\":\"2026-01-01T11:00:00Z\"")
        .contains("\"sample\":{");
  }

  @Test
  void badRequestsGetClearErrorsAndChangeNothing() throws Exception {
    s = Served.start(b -> {});
    assertThat(s.get("/api/dead-letters/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> badFilter = s.get("/api/dead-letters?status=LOST");
    assertThat(badFilter.statusCode()).isEqualTo(400);
    assertThat(badFilter.body()).contains("status must be one of");
    assertThat(s.post("/api/dead-letters/resolve", "{not json").statusCode()).isEqualTo(400);
    HttpResponse<String> unknown = s.post("/api/dead-letters/resolve", "{\"ids\":[\"" + id1 + "\",\"ghost\"]}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("ghost");
    assertThat(s.mem.store().get(id1).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
    assertThat(s.call("DELETE", "/api/dead-letters/" + id1, null, Map.of()).statusCode()).isEqualTo(405);
    assertThat(s.post("/api/dead-letters/replay", "{}").statusCode()).isEqualTo(400);
  }

  @Test
  void exposingTheApiWithoutATokenIsRefused() {
    assertThatThrownBy(() -> AdminServer.builder(InMemory.create().store()).bind("0.0.0.0").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set a token");
  }

  @Test
  void anEmbeddedServerStartsOnceAndSaysWhenItsPortIsTaken() throws Exception {
    s = Served.start(b -> {});
    assertThatThrownBy(() -> s.server.start()).isInstanceOf(IllegalStateException.class);
    AdminServer second = AdminServer.builder(InMemory.create().store()).port(s.server.port()).build();
    assertThatThrownBy(second::start).isInstanceOf(BindException.class);
    assertThatThrownBy(second::port).isInstanceOf(IllegalStateException.class);
  }
}
