package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Payload search through the HTTP API's query parameters and the CLI's flags. */
class PayloadSearchTest {
  private Served s;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  @Test
  void theApiSearchesPayloadFieldsAndTextWithTheOtherFilters() throws Exception {
    s = Served.start(b -> {});
    String one = Fixtures.id("m-1");
    String two = Fixtures.id("m-2");
    HttpResponse<String> byField = s.get("/api/dead-letters?payloadField=id%3Dm-2");
    assertThat(byField.statusCode()).as(byField.body()).isEqualTo(200);
    assertThat(byField.body()).contains(two).doesNotContain(one);
    assertThat(s.get("/api/dead-letters?payloadContains=4111").body()).contains(one, two);
    assertThat(s.get("/api/dead-letters?payloadContains=4111&type=order.created").body()).contains(one).doesNotContain(two);
    assertThat(s.get("/api/dead-letters/stats?payloadField=card%3D4111").body()).contains("\"total\":2");
    assertThat(s.get("/api/dead-letters?payloadField=card%3D4242").body()).isEqualTo("{\"items\":[]}");
    HttpResponse<String> bad = s.get("/api/dead-letters?payloadField=nothing");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("payloadField must be PATH=VALUE");
    assertThat(s.get("/api/dead-letters?payloadField=id%3Dm-1&payloadField=id%3Dm-2").body()).contains("given twice");

    HttpResponse<String> dry = s.post("/api/dead-letters/replay", "{\"filter\":{\"payloadField\":\"id=m-1\"},\"dryRun\":true}");
    assertThat(dry.body()).as("the bulk replay filter takes them too").contains("\"wouldReplay\":1");
  }

  private int dlq(String backend, String... words) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of(words));
    args.addAll(List.of("--store", "memory", "--set", "instance=" + backend));
    return Main.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("USER", "tester"));
  }

  @Test
  void theCliTakesPayloadFlags() {
    String backend = Fixtures.backendWithTwoDeadLetters();
    assertThat(dlq(backend, "dead-letters", "list", "--payload-field", "id=m-2", "--output", "json")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains(Fixtures.id("m-2")).doesNotContain(Fixtures.id("m-1"));
    assertThat(dlq(backend, "dead-letters", "list", "--payload-field", "id=m-2", "--payload-field", "card=4111",
        "--output", "csv")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).lines().count()).as("header and one row").isEqualTo(2);
    assertThat(dlq(backend, "dead-letters", "stats", "--payload-contains", "m-1", "--output", "json")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"total\":1");
    assertThat(dlq(backend, "dead-letters", "replay-batch", "--payload-contains", "\"m-1\"")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("would replay 1 dead letters");
    assertThat(dlq(backend, "dead-letters", "list", "--payload-field", "no-equals-sign")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--payload-field must be PATH=VALUE");
    assertThat(dlq(backend, "dead-letters", "list", "--payload-field", "a..b=1")).isEqualTo(2);
  }
}
