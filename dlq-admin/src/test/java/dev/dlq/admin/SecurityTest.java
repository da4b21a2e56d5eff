package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterStatus;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cross-site writes, DNS rebinding and the headers every answer carries. */
class SecurityTest {
  private final String id1 = Fixtures.id("m-1");
  private Served s;

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  private void assertUnchanged() {
    assertThat(s.mem.store().get(id1).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
    assertThat(s.mem.size("orders")).isZero();
  }

  @Test
  void aWriteFromAnotherOriginIsRefused() throws Exception {
    s = Served.start(b -> {});
    String path = "/api/dead-letters/" + id1 + "/replay";
    HttpResponse<String> foreign = s.call("POST", path, "{}", Map.of("Origin", "http://127.0.0.1:1"));
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.body()).contains("Origin 'http://127.0.0.1:1' may not change anything");
    assertThat(s.call("POST", path, "{}", Map.of("Origin", "null")).statusCode()).isEqualTo(403);
    assertThat(s.call("POST", path, "{}", Map.of("Origin", "http://evil.example:" + s.server.port())).statusCode())
        .isEqualTo(403);
    assertThat(s.call("POST", path, "{}", Map.of("Sec-Fetch-Site", "same-site")).statusCode()).isEqualTo(403);
    assertUnchanged();
    HttpResponse<String> own = s.call("POST", path, "{}", Map.of("Origin", "http://localhost:" + s.server.port()));
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    assertThat(s.mem.size("orders")).isEqualTo(1);
  }

  @Test
  void aSimpleCrossSiteRequestCannotWrite() throws Exception {
    s = Served.start(b -> {});
    // what a form or a no-cors fetch can send: no Origin check possible, no custom header, text/plain
    String noHeader = "POST /api/dead-letters/" + id1 + "/resolve HTTP/1.1\r\nHost: " + s.host()
        + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    assertThat(s.raw(noHeader)).startsWith("HTTP/1.1 403").contains("X-Dlq-Request");
    HttpResponse<String> textPlain = s.call("POST", "/api/dead-letters/" + id1 + "/resolve", "{}",
        Map.of("Content-Type", "text/plain"));
    assertThat(textPlain.statusCode()).isEqualTo(415);
    assertThat(textPlain.body()).contains("application/json");
    assertThat(s.call("POST", "/api/dead-letters/replay", "{\"filter\":{}}",
        Map.of("Content-Type", "application/x-www-form-urlencoded")).statusCode()).isEqualTo(415);
    assertUnchanged();
  }

  @Test
  void onlyLoopbackOrAllowedHostsAreServed() throws Exception {
    s = Served.start(b -> b.allowedHost("dlq.internal"));
    int port = s.server.port();
    assertThat(s.rawGet("/api/dead-letters", "attacker.example:" + port)).startsWith("HTTP/1.1 421")
        .contains("{\"error\":");
    assertThat(s.rawGet("/", "attacker.example:" + port)).startsWith("HTTP/1.1 421");
    assertThat(s.rawGet("/api/dead-letters", "127.0.0.1:" + (port == 1 ? 2 : 1))).startsWith("HTTP/1.1 421");
    assertThat(s.rawGet("/api/dead-letters", "localhost:" + port)).startsWith("HTTP/1.1 200");
    assertThat(s.rawGet("/api/dead-letters", "[::1]:" + port)).startsWith("HTTP/1.1 200");
    assertThat(s.rawGet("/api/dead-letters", "dlq.internal:" + port)).startsWith("HTTP/1.1 200");
    assertThat(s.rawGet("/health", "10.1.2.3:" + port)).as("probes reach /health by any name").startsWith("HTTP/1.1 200");
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() throws Exception {
    s = Served.start(b -> {});
    for (String path : new String[] {"/", "/console.js", "/console.css", "/api/dead-letters", "/api/nothing",
        "/api/dead-letters//", "/metrics", "/health"}) {
      HttpResponse<String> r = s.get(path);
      assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValue(Guard.CSP);
      assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
      assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
    }
    assertThat(Guard.CSP).contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe");
    String html = new String(Console.bytes("console.html"), StandardCharsets.UTF_8);
    assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("<style")
        .doesNotContainPattern("\\son[a-z]+=").doesNotContain("style=");
  }
}
