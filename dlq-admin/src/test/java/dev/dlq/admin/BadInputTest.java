package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterStatus;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hostile input: every error is a JSON object with a 4xx, naming what was wrong and nothing internal. */
class BadInputTest {
  private final String id1 = Fixtures.id("m-1");
  private Served s;

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  private static void assertJsonError(HttpResponse<String> r, int status, String mentions) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(r.body()).startsWith("{\"error\":\"").contains(mentions).doesNotContain("java.").doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void wrongTypesAndUnknownKeysAre400NamingTheField() throws Exception {
    s = Served.start(b -> {});
    String one = "/api/dead-letters/" + id1 + "/replay";
    assertJsonError(s.post(one, "{\"dryRun\":\"true\"}"), 400, "dryRun must be true or false but was a string");
    assertJsonError(s.post(one, "{\"dryRun\":1}"), 400, "dryRun must be true or false but was a number");
    assertJsonError(s.post(one, "{\"dryrun\":true}"), 400, "unknown field 'dryrun'");
    assertJsonError(s.post("/api/dead-letters/replay", "{\"filter\":{\"tpye\":\"x\"}}"), 400, "unknown field 'filter.tpye'");
    assertJsonError(s.post("/api/dead-letters/replay", "{\"filter\":{\"type\":1}}"), 400, "filter.type must be a string");
    assertJsonError(s.post("/api/dead-letters/replay", "{\"ids\":[1]}"), 400, "ids[0] must be a string");
    assertJsonError(s.post("/api/dead-letters/replay", "{\"ids\":\"" + id1 + "\"}"), 400, "ids must be an array");
    assertJsonError(s.post("/api/dead-letters/replay", "[]"), 400, "must be a JSON object");
    assertJsonError(s.post("/api/dead-letters/resolve", "{\"ids\":[\"" + id1 + "\"],\"note\":5}"), 400,
        "note must be a string");
    assertJsonError(s.post("/api/dead-letters/purge", "{\"olderThan\":30}"), 400, "olderThan must be a string");
    assertThat(s.mem.store().get(id1).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
    assertThat(s.mem.size("orders")).as("no replay happened").isZero();
  }

  @Test
  void malformedPathsIdsAndTimesAre4xxJson() throws Exception {
    s = Served.start(b -> {});
    assertJsonError(s.get("/api/dead-letters//"), 404, "no such endpoint");
    assertJsonError(s.get("/api/dead-letters/%00"), 400, "printable characters");
    assertJsonError(s.post("/api/dead-letters/a%00b/replay", "{}"), 400, "printable characters");
    assertJsonError(s.get("/api/dead-letters/%C3%28"), 400, "not valid UTF-8");
    assertJsonError(s.get("/api/dead-letters?since=999999999999d"), 400, "since must be at most 36500d");
    assertJsonError(s.get("/api/dead-letters?since=99999999999999999999999d"), 400, "since must be an ISO-8601 time");
    assertJsonError(s.get("/api/dead-letters?since=%2B999999999-01-01T00:00:00Z"), 400, "year 1 to 9999");
    assertJsonError(s.post("/api/dead-letters/purge", "{\"olderThan\":\"99999999999999d\"}"), 400, "at most");
    assertJsonError(s.get("/api/dead-letters?limit=99999999999"), 400, "limit must be a whole number");
    assertJsonError(s.get("/api/dead-letters?colour=red"), 400, "unknown query parameter 'colour'");
    assertJsonError(s.get("/api/dead-letters?cursor=garbage!"), 400, "cursor");
    assertJsonError(s.get("/api/dead-letters/" + id1 + "/replay"), 405, "use POST");
    assertJsonError(s.get("/nowhere"), 404, "no such endpoint");
  }

  @Test
  void aMalformedEscapeIs400() throws Exception {
    s = Served.start(b -> {});
    // the JDK's parser refuses it before any handler runs, with its own short text/html answer
    assertThat(s.rawGet("/api/dead-letters?type=%zz", s.host())).startsWith("HTTP/1.1 400").doesNotContain("\tat ");
    assertThat(s.rawGet("/api/dead-letters/%zz", s.host())).startsWith("HTTP/1.1 400");
  }

  @Test
  void oversizedRequestsGet413And414And431() throws Exception {
    s = Served.start(b -> {});
    // the server answers 413 without reading the whole body and closes: the client may lose the race
    // and fail its own write first, so try a few times; the declared-length case below is deterministic
    HttpResponse<String> big = null;
    for (int i = 0; i < 5 && big == null; i++) {
      try {
        big = s.post("/api/dead-letters/replay", "{\"ids\":[\"" + "x".repeat(Http.MAX_BODY) + "\"]}");
      } catch (java.io.IOException e) {
        Thread.sleep(50);
      }
    }
    assertThat(big).as("a 413 answer in five tries").isNotNull();
    assertJsonError(big, 413, "larger than");
    String declared = "POST /api/dead-letters/replay HTTP/1.1\r\nHost: " + s.host() + "\r\nContent-Type: application/json"
        + "\r\nX-Dlq-Request: 1\r\nContent-Length: 999999999\r\nConnection: close\r\n\r\n{";
    assertThat(s.raw(declared)).startsWith("HTTP/1.1 413");
    assertThat(s.rawGet("/api/dead-letters?type=" + "a".repeat(Http.MAX_URI), s.host())).startsWith("HTTP/1.1 414")
        .contains("{\"error\":");
    assertThat(s.rawGet("/api/dead-letters", s.host(), "X-Big: " + "b".repeat(Http.MAX_HEADERS)))
        .startsWith("HTTP/1.1 431").contains("{\"error\":");
    String[] many = new String[150];
    for (int i = 0; i < many.length; i++) {
      many[i] = "X-H" + i + ": v";
    }
    assertThat(s.rawGet("/api/dead-letters", s.host(), many)).startsWith("HTTP/1.1 431").contains("{\"error\":");
    assertThat(s.rawGet("/api/dead-letters", s.host(), "X-Huge: " + "h".repeat(200_000))).startsWith("HTTP/1.1 431");
  }

  @Test
  void headAndOptionsAreAnswered() throws Exception {
    s = Served.start(b -> {});
    HttpResponse<String> head = s.call("HEAD", "/api/dead-letters", null, Map.of());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(s.call("HEAD", "/", null, Map.of()).statusCode()).isEqualTo(200);
    HttpResponse<String> options = s.call("OPTIONS", "/api/dead-letters/replay", null, Map.of());
    assertThat(options.statusCode()).isEqualTo(204);
    assertThat(options.headers().firstValue("Allow")).hasValue("GET, HEAD, POST, OPTIONS");
    assertThat(options.headers().firstValue("Access-Control-Allow-Origin")).as("no CORS").isEmpty();
  }
}
