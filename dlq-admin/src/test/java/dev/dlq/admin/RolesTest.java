package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetterStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens with names and roles; the audit names the token, never a header; audit text cannot forge lines. */
class RolesTest {
  private final String id1 = Fixtures.id("m-1");
  private final String id2 = Fixtures.id("m-2");
  private Served s;

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  private HttpResponse<String> as(String secret, String method, String path, String body) throws Exception {
    return s.call(method, path, body, secret == null ? Map.of("X-Dlq-Operator", "mallory")
        : Map.of("Authorization", "Bearer " + secret, "X-Dlq-Operator", "mallory"));
  }

  private void startWithRoles() throws Exception {
    s = Served.start(b -> b.token("vera", AdminServer.Role.VIEWER, "viewer-secret")
        .token("otto:operator:operator-secret").token("ada", AdminServer.Role.ADMIN, "admin-secret"));
  }

  @Test
  void eachRoleMayDoItsOwnActionsOnly() throws Exception {
    startWithRoles();
    assertThat(as(null, "GET", "/api/dead-letters", null).statusCode()).isEqualTo(401);
    assertThat(as("wrong-secret", "GET", "/api/dead-letters", null).statusCode()).isEqualTo(401);
    assertThat(as("viewer-secret", "GET", "/api/dead-letters", null).statusCode()).isEqualTo(200);
    assertThat(as("viewer-secret", "GET", "/metrics", null).statusCode()).isEqualTo(200);
    HttpResponse<String> viewerReplay = as("viewer-secret", "POST", "/api/dead-letters/" + id1 + "/replay", "{}");
    assertThat(viewerReplay.statusCode()).isEqualTo(403);
    assertThat(viewerReplay.body()).contains("'vera' has the role viewer; replay needs operator");
    assertThat(as("viewer-secret", "POST", "/api/dead-letters/resolve", "{\"ids\":[\"" + id1 + "\"]}").statusCode())
        .isEqualTo(403);
    assertThat(s.mem.store().get(id1).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);

    assertThat(as("operator-secret", "POST", "/api/dead-letters/" + id1 + "/replay", "{}").body()).contains("\"replayed\":1");
    assertThat(as("operator-secret", "POST", "/api/dead-letters/" + id2 + "/discard", "{}").body()).contains("\"discarded\":1");
    HttpResponse<String> operatorPurge = as("operator-secret", "POST", "/api/dead-letters/purge", "{\"olderThan\":\"1d\"}");
    assertThat(operatorPurge.statusCode()).isEqualTo(403);
    assertThat(operatorPurge.body()).contains("purge needs admin");
    assertThat(as("admin-secret", "POST", "/api/dead-letters/purge", "{\"olderThan\":\"1d\"}").body()).contains("\"purged\":2");
    assertThat(as("admin-secret", "GET", "/api/whoami", null).body()).contains("\"name\":\"ada\"").contains("\"role\":\"admin\"");

    List<AuditEntry> audit = s.mem.store().audit(10);
    assertThat(audit).extracting(AuditEntry::operator).containsExactly("ada", "otto", "otto");
    assertThat(audit).extracting(AuditEntry::operator).doesNotContain("mallory");
  }

  @Test
  void withoutTokensTheHeaderNamesTheOperatorCleaned() throws Exception {
    s = Served.start(b -> {});
    // raw bytes: a UTF-8 name and a note with a newline that tries to forge a second audit line
    String body = "{\"note\":\"done\\n2026-01-01T00:00:00Z  admin  purge  999  everything\"}";
    byte[] head = ("POST /api/dead-letters/" + id1 + "/resolve HTTP/1.1\r\nHost: " + s.host()
        + "\r\nContent-Type: application/json\r\nX-Dlq-Request: 1\r\nConnection: close\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\nX-Dlq-Operator: ").getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.write(head);
    req.write("Zoë\u0007\r".replace("\r", "").getBytes(StandardCharsets.UTF_8));
    req.write(("\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
    assertThat(s.raw(req.toByteArray())).startsWith("HTTP/1.1 200");
    AuditEntry e = s.mem.store().audit(1).get(0);
    assertThat(e.operator()).isEqualTo("Zoë");
    assertThat(e.detail()).doesNotContain("\n").contains("done 2026-01-01T00:00:00Z");
  }

  @Test
  void theCliPrintsOneLinePerAuditEntryEvenForAForgedOne() throws Exception {
    String backend = Fixtures.backendWithTwoDeadLetters();
    dev.dlq.InMemory.named(backend).store().resolve(List.of(id1), "eve\nforged", "x\ny");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"dead-letters", "audit", "--store", "memory", "--set", "instance=" + backend},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8), Map.of());
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).strip().split("\n")).hasSize(2); // the header and the entry
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("eve forged");
  }

  @Test
  void tokensComeFromAFileAndBadOnesAreRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# who may do what\nvera:viewer:viewer-secret\n\nada:admin:admin-secret\n");
    s = Served.start(b -> b.tokensFile(file));
    assertThat(as("viewer-secret", "GET", "/api/whoami", null).body()).contains("\"name\":\"vera\"");
    assertThat(as("viewer-secret", "POST", "/api/dead-letters/" + id1 + "/replay", "{}").statusCode()).isEqualTo(403);
    AdminServer.Builder b = AdminServer.builder(s.mem.store());
    assertThatThrownBy(() -> b.token("x:superuser:long-enough-secret")).hasMessageContaining("role must be viewer");
    assertThatThrownBy(() -> b.token("x:viewer:short")).hasMessageContaining("at least 8");
    assertThatThrownBy(() -> b.token("x:viewer")).hasMessageContaining("name:role:secret");
    b.token("y:viewer:long-enough-secret");
    assertThatThrownBy(() -> b.token("y:admin:another-long-secret")).hasMessageContaining("two tokens are named 'y'");
  }
}
