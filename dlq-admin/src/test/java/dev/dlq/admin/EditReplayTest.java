package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterStatus;
import dev.dlq.InMemory;
import dev.dlq.Message;
import dev.dlq.ReplayEdit;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.Source;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edit and replay over HTTP (a real server) and the CLI, on an in-memory backend. */
class EditReplayTest {
  private Served s;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  private static Message takeOne(InMemory mem) throws InterruptedException {
    try (Source src = mem.source("orders", Duration.ofSeconds(30), 0)) {
      List<? extends Delivery> got = src.poll(10, Duration.ofMillis(200));
      assertThat(got).hasSize(1);
      return got.get(0).message();
    }
  }

  @Test
  void anAllowedTypeIsEditedOverHttpAndTheCopyIsALineageChild() throws Exception {
    s = Served.start(b -> b.allowEdits("order.created"));
    String id = Fixtures.id("m-1");
    HttpResponse<String> r = s.call("POST", "/api/dead-letters/" + id + "/edit-replay",
        "{\"payload\":{\"id\":\"m-1\",\"card\":\"4242\"},\"headers\":{\"tenant\":\"acme-eu\"},"
            + "\"removeHeaders\":[\"Authorization\"],\"note\":\"card fixed\"}", Map.of("X-Dlq-Operator", "alice"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"deadLetterId\":\"" + id + "\"", "\"copyId\":\"m-1~edit~",
        "\"~ payload card: \\\"4111\\\" -> \\\"4242\\\"\"", "\"~ header tenant: acme -> acme-eu\"");
    Message copy = takeOne(s.mem);
    assertThat(copy.payloadAsString()).isEqualTo("{\"id\":\"m-1\",\"card\":\"4242\"}");
    assertThat(copy.headers()).containsEntry("tenant", "acme-eu").containsEntry(ReplayEdit.PARENT_HEADER, id)
        .doesNotContainKey("Authorization");
    assertThat(s.mem.store().get(id).orElseThrow().status()).isEqualTo(DeadLetterStatus.REPLAYED);
    assertThat(s.get("/api/audit").body()).contains("\"action\":\"edit-replay\"", "card fixed",
        "- header Authorization (was [REDACTED])").doesNotContain("s3cret");

    HttpResponse<String> again = s.post("/api/dead-letters/" + id + "/edit-replay", "{\"payload\":\"x\"}");
    assertThat(again.statusCode()).as("no longer PENDING").isEqualTo(409);
    assertThat(again.body()).contains("REPLAYED");
  }

  @Test
  void editsAreRefusedUnlessAllowedAndTheBodyIsReadStrictly() throws Exception {
    s = Served.start(b -> b.token("vera:viewer:viewer-secret").token("olga:operator:op-secret"));
    Map<String, String> op = Map.of("Authorization", "Bearer op-secret");
    String path = "/api/dead-letters/" + Fixtures.id("m-1") + "/edit-replay";
    HttpResponse<String> off = s.call("POST", path, "{\"payload\":\"x\"}", op);
    assertThat(off.statusCode()).isEqualTo(403);
    assertThat(off.body()).contains("type 'order.created' is not allowed").contains("--allow-edits order.created");
    assertThat(s.call("POST", path, "{\"payload\":\"x\"}", Map.of("Authorization", "Bearer viewer-secret"))
        .statusCode()).as("a viewer").isEqualTo(403);
    s.close();

    s = Served.start(b -> b.allowEdits("*"));
    assertThat(s.post(path, "{\"payload\":\"x\",\"speed\":1}").body()).contains("unknown field 'speed'");
    assertThat(s.post(path, "{\"payload\":3}").body()).contains("payload must be");
    assertThat(s.post(path, "{\"headers\":{\"a\":1}}").body()).contains("headers.a must be a string");
    assertThat(s.post(path, "{\"headers\":{\"dlq-parent-dead-letter-id\":\"x\"}}").body()).contains("dlq's own");
    assertThat(s.post(path, "{}").body()).contains("must change the payload or a header");
    assertThat(s.post(path, "{\"payload\":\"a\",\"payloadBase64\":\"YQ==\"}").statusCode()).isEqualTo(400);
    assertThat(s.post(path, "{\"payloadBase64\":\"%%%\"}").body()).contains("not valid base64");
    assertThat(s.post("/api/dead-letters/ghost/edit-replay", "{\"payload\":\"x\"}").statusCode()).isEqualTo(404);
    assertThat(s.call("POST", path, "{\"payload\":\"x\"}", Map.of("Origin", "http://evil.example")).statusCode())
        .as("another origin").isEqualTo(403);
    assertThat(s.call("POST", path, "{\"payload\":\"x\"}", Map.of("Content-Type", "text/plain")).statusCode())
        .as("a form-like post").isEqualTo(415);
    assertThat(s.mem.size("orders")).as("nothing sent").isZero();
    assertThat(s.mem.store().get(Fixtures.id("m-1")).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
  }

  private int dlq(String backend, Map<String, String> env, String... words) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of(words));
    args.addAll(List.of("--store", "memory", "--set", "instance=" + backend));
    return Main.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
  }

  @Test
  void theCliEditsFromAFileOrTextAndRefusesWhatIsNotAllowed(@TempDir Path dir) throws Exception {
    String backend = Fixtures.backendWithTwoDeadLetters();
    InMemory mem = InMemory.named(backend);
    String id1 = Fixtures.id("m-1");
    String id2 = Fixtures.id("m-2");

    assertThat(dlq(backend, Map.of("USER", "tester"), "dead-letters", "edit-replay", id1, "--payload", "{}")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("'order.created' is not allowed", "edits are off");
    assertThat(mem.size("orders")).isZero();

    Map<String, String> env = Map.of("USER", "tester", "DLQ_ALLOW_EDITS", "order.created, other");
    Path file = dir.resolve("fixed.json");
    Files.writeString(file, "{\"id\":\"m-1\",\"card\":\"5555\"}");
    assertThat(dlq(backend, env, "dead-letters", "edit-replay", id1, "--payload-file", file.toString(),
        "--header", "tenant=acme-eu", "--remove-header", "Authorization", "--note", "fixed")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("replayed a corrected copy m-1~edit~",
        "~ payload card: \"4111\" -> \"5555\"", "- header Authorization");
    assertThat(takeOne(mem).payloadAsString()).isEqualTo("{\"id\":\"m-1\",\"card\":\"5555\"}");
    assertThat(dlq(backend, env, "dead-letters", "audit")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("edit-replay", "tester");

    assertThat(dlq(backend, env, "dead-letters", "edit-replay", id2, "--payload", "x")).as("payment.captured").isEqualTo(2);
    assertThat(dlq(backend, env, "dead-letters", "edit-replay", "ghost", "--payload", "x")).isEqualTo(3);
    assertThat(dlq(backend, env, "dead-letters", "edit-replay", id1, "--payload", "x")).as("already replayed").isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("REPLAYED");
    assertThat(dlq(backend, env, "dead-letters", "edit-replay", id2, "--header", "novalue")).isEqualTo(2);
    assertThat(dlq(backend, env, "dead-letters", "edit-replay", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--payload-file", "DLQ_ALLOW_EDITS");
    assertThat(mem.size("orders")).as("the one copy, taken but not completed; nothing else").isEqualTo(1);
  }
}
