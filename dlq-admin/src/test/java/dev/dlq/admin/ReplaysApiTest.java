package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /api/replays and the failure-group actions over a real server and an in-memory store. */
class ReplaysApiTest {
  private static final Pattern ID = Pattern.compile("^\\{\"id\":\"([^\"]+)\"");
  private static final String QUICK = "\"canary\":1,\"canaryWait\":\"0s\",\"stepDuration\":\"1s\",\"maxRate\":500";
  private Served s;

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  private static String id(HttpResponse<String> r) {
    Matcher m = ID.matcher(r.body());
    assertThat(m.find()).as(r.body()).isTrue();
    return m.group(1);
  }

  private String waitFor(String jobId, String state) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    String body;
    do {
      body = s.get("/api/replays/" + jobId).body();
      if (body.contains("\"state\":\"" + state + "\"")) {
        return body;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("job " + jobId + " never became " + state + ": " + body);
  }

  @Test
  void aDryRunShowsTheSnapshotAndStartingItReplaysExactlyThat() throws Exception {
    s = Served.start(b -> {});
    HttpResponse<String> dry = s.call("POST", "/api/replays", "{\"filter\":{},\"dryRun\":true," + QUICK + "}",
        Map.of("X-Dlq-Operator", "alice"));
    assertThat(dry.statusCode()).as(dry.body()).isEqualTo(201);
    assertThat(dry.body()).contains("\"state\":\"PLANNED\"", "\"total\":2", "\"operator\":\"alice\"",
        Fixtures.id("m-1"), Fixtures.id("m-2"));
    assertThat(s.mem.size("orders")).isZero();
    String job = id(dry);
    assertThat(s.get("/api/replays").body()).contains(job);

    assertThat(s.post("/api/replays/" + job + "/start", "").statusCode()).isEqualTo(200);
    String done = waitFor(job, "COMPLETED");
    assertThat(done).contains("\"sent\":2", "\"pending\":0", "\"diedAgain\":0");
    assertThat(s.mem.size("orders")).isEqualTo(2);
    assertThat(s.get("/api/dead-letters/" + Fixtures.id("m-1")).statusCode()).isEqualTo(200);
    assertThat(s.get("/api/dead-letters?status=REPLAYED").body()).contains("\"replayFate\":\"REPLAYED\"",
        "\"lastReplayId\":\"" + job + "\"");
    HttpResponse<String> again = s.post("/api/replays/" + job + "/cancel", "");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("COMPLETED");
    assertThat(s.get("/metrics").body()).contains("dlq_replays_total{store=\"memory\"} 2.0");
  }

  @Test
  void aGroupIsReplayedPausedAndCancelledAsAUnit() throws Exception {
    s = Served.start(Fixtures.backendWith(5), b -> {});
    HttpResponse<String> created = s.post("/api/replays",
        "{\"group\":\"fp\",\"canary\":1,\"canaryWait\":\"1h\",\"maxRate\":10}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String job = id(created);
    // the canary is out and watched for an hour: pause, resume, cancel meanwhile
    assertThat(s.post("/api/replays/" + job + "/pause", "").body()).contains("\"state\":\"PAUSED\"");
    assertThat(s.post("/api/replays/" + job + "/resume", "").body()).contains("\"state\":\"RUNNING\"");
    assertThat(s.post("/api/replays/" + job + "/cancel", "").body()).contains("\"state\":\"CANCELLED\"");
    String cancelled = waitFor(job, "CANCELLED");
    assertThat(cancelled).contains("\"total\":5");
    assertThat(s.get("/api/audit").body()).contains("replay-pause", "replay-resume", "replay-cancel");
  }

  @Test
  void groupsAreListedWithTheirShapeAndResolvedAsAUnit() throws Exception {
    s = Served.start(b -> {});
    String g = s.get("/api/dead-letters/groups").body();
    assertThat(g).contains("\"fingerprint\":\"fp\"", "\"count\":2", "\"pending\":2",
        "\"types\":[\"order.created\",\"payment.captured\"]", "\"firstSeen\":\"2026-01-01T10:00:00Z\"",
        "\"lastSeen\":\"2026-01-01T11:00:00Z\"", "\"sampleId\":\"" + Fixtures.id("m-2") + "\"");
    HttpResponse<String> r = s.post("/api/dead-letters/groups/fp/resolve", "{\"note\":\"fixed upstream\"}");
    assertThat(r.body()).isEqualTo("{\"resolved\":2}");
    assertThat(s.get("/api/dead-letters/groups").body()).contains("\"pending\":0");
  }

  @Test
  void badRequestsAreRefusedAndChangeNothing() throws Exception {
    s = Served.start(b -> b.token("vera:viewer:viewer-secret"));
    Map<String, String> viewer = Map.of("Authorization", "Bearer viewer-secret");
    assertThat(s.call("POST", "/api/replays", "{\"filter\":{}}", viewer).statusCode()).isEqualTo(403);
    assertThat(s.call("GET", "/api/replays", null, viewer).statusCode()).isEqualTo(200);
    s.close();
    s = Served.start(b -> {});
    assertThat(s.post("/api/replays", "{\"filter\":{},\"ids\":[\"a\"]}").body()).contains("exactly one of");
    assertThat(s.post("/api/replays", "{\"filter\":{},\"speed\":3}").statusCode()).isEqualTo(400);
    assertThat(s.post("/api/replays", "{\"filter\":{},\"maxRate\":\"fast\"}").body()).contains("must be a number");
    assertThat(s.post("/api/replays", "{\"filter\":{},\"maxRate\":1e9}").body()).contains("maxRate must be between");
    assertThat(s.post("/api/replays", "{\"filter\":{},\"canaryWait\":\"soon\"}").statusCode()).isEqualTo(400);
    assertThat(s.get("/api/replays/ghost").statusCode()).isEqualTo(404);
    assertThat(s.post("/api/replays/ghost/pause", "").statusCode()).isEqualTo(404);
    assertThat(s.get("/api/replays").body()).isEqualTo("{\"items\":[]}");
    assertThat(s.mem.size("orders")).isZero();
  }
}
