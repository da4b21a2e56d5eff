package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from a keystore made here by keytool, trusted by the client and nothing else. */
class TlsTest {
  private static final char[] PASSWORD = "changeit-test".toCharArray();

  private static Path keystore(Path dir) throws Exception {
    Path ks = dir.resolve("admin.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "dlq-admin", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", new String(PASSWORD))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return ks;
  }

  @Test
  void servesHttpsFromAKeystoreAndChecksTheHttpsOrigin(@TempDir Path dir) throws Exception {
    Path ks = keystore(dir);
    String backend = Fixtures.backendWithTwoDeadLetters();
    try (Served s = Served.start(backend, b -> b.tls(ks, PASSWORD))) {
      assertThat(s.server.tls()).isTrue();
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(ks)) {
        trust.load(in, PASSWORD);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      // a client per request: a pooled connection the server closed as idle (after a stall of the machine:
      // CI once saw 39 s) makes a POST fail with "no bytes", which is the client's keep-alive, not TLS
      java.util.function.Supplier<HttpClient> client = () -> HttpClient.newBuilder().sslContext(ctx).build();
      String base = "https://127.0.0.1:" + s.server.port();
      HttpResponse<String> list = client.get().send(HttpRequest.newBuilder(URI.create(base + "/api/dead-letters")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(list.body()).contains(Fixtures.id("m-1"));
      String replay = base + "/api/dead-letters/" + Fixtures.id("m-1") + "/replay";
      HttpResponse<String> plainOrigin = client.get().send(HttpRequest.newBuilder(URI.create(replay))
          .header("Content-Type", "application/json").header("Origin", "http://127.0.0.1:" + s.server.port())
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(plainOrigin.statusCode()).as("an http:// page is another origin").isEqualTo(403);
      HttpResponse<String> ownOrigin = client.get().send(HttpRequest.newBuilder(URI.create(replay))
          .header("Content-Type", "application/json").header("Origin", base)
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ownOrigin.body()).contains("\"replayed\":1");
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
          HttpResponse.BodyHandlers.ofString())).as("an untrusted client refuses the certificate")
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
  }
}
