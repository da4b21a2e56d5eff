package dev.dlq.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.spi.Alert;
import dev.dlq.spi.Notifier;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The signed webhook and the Slack payload against a real HTTP server on loopback. */
class WebhookTest {
  static final String SECRET = "a-shared-secret-of-some-length";
  final Receiver receiver = newReceiver();
  final Fixtures.MovingClock clock = new Fixtures.MovingClock(Instant.parse("2026-11-30T10:00:00Z"));

  static Receiver newReceiver() {
    try {
      return new Receiver();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  static Alert alert(String title) {
    return new Alert("a-1", "system", Alert.Severity.CRITICAL, "fp1", Optional.empty(), title,
        Map.of("deadLetters", 2L), Optional.of(new Alert.Sample("dl-1", "charge", "orders", "SYSTEM_ERROR", "Boom",
        "db down", Map.of("tenant", "acme"), "{\"a\":1}", "fp1", Instant.parse("2026-11-30T09:59:00Z"))),
        Optional.of("https://ops.example.com/?fingerprint=fp1"), Optional.of("dlq dead-letters replay dl-1"),
        Instant.parse("2026-11-30T10:00:00Z"));
  }

  @Test
  void signsTheBodyAndTheReceiverVerifiesIt() {
    Notifier n = WebhookNotifier.builder(receiver.uri("/hook"), SECRET).clock(clock).build();
    n.send(alert("db down"));

    assertThat(receiver.calls).hasSize(1);
    Receiver.Call call = receiver.calls.get(0);
    String sig = call.header(WebhookNotifier.SIGNATURE_HEADER);
    assertThat(sig).matches("t=" + clock.instant().getEpochSecond() + ",v1=[0-9a-f]{64}");
    assertThat(call.header(WebhookNotifier.ID_HEADER)).isEqualTo("a-1");
    assertThat(AlertJson.read(new String(call.body(), StandardCharsets.UTF_8))).isEqualTo(alert("db down"));

    WebhookVerifier v = WebhookVerifier.of(SECRET).withClock(clock);
    assertThat(v.verify(sig, call.body())).isEqualTo(WebhookVerifier.Result.VALID);
    byte[] tampered = new String(call.body(), StandardCharsets.UTF_8).replace("db down", "all good")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(v.verify(sig, tampered)).isEqualTo(WebhookVerifier.Result.BAD_SIGNATURE);
    assertThat(WebhookVerifier.of("another-secret-entirely").withClock(clock).verify(sig, call.body()))
        .isEqualTo(WebhookVerifier.Result.BAD_SIGNATURE);
    assertThat(v.verify(null, call.body())).isEqualTo(WebhookVerifier.Result.MALFORMED);
    assertThat(v.verify("v1=abc", call.body())).isEqualTo(WebhookVerifier.Result.MALFORMED);
    assertThat(v.verify("t=12x," + sig.substring(sig.indexOf("v1=")), call.body()))
        .isEqualTo(WebhookVerifier.Result.MALFORMED);

    clock.advance(Duration.ofMinutes(5));
    assertThat(v.verify(sig, call.body())).isEqualTo(WebhookVerifier.Result.VALID);
    clock.advance(Duration.ofSeconds(1));
    assertThat(v.verify(sig, call.body())).isEqualTo(WebhookVerifier.Result.STALE);
    assertThat(v.withTolerance(Duration.ofMinutes(10)).verify(sig, call.body())).isEqualTo(WebhookVerifier.Result.VALID);
  }

  @Test
  void anErrorStatusOrNoServerIsAFailureToDeliver() {
    receiver.status.set(503);
    Notifier n = Notifiers.webhook(receiver.uri("/hook"), SECRET);
    assertThatThrownBy(() -> n.send(alert("x"))).isInstanceOf(NotificationFailedException.class)
        .hasMessage("POST http://127.0.0.1:" + receiver.uri("/").getPort() + "/… answered 503");
    receiver.close();
    assertThatThrownBy(() -> n.send(alert("x"))).isInstanceOf(NotificationFailedException.class);
  }

  @Test
  void refusesBadSettings() {
    assertThatThrownBy(() -> Notifiers.webhook(URI.create("file:///etc/passwd"), SECRET))
        .hasMessageStartingWith("uri must be an http or https URL");
    assertThatThrownBy(() -> Notifiers.webhook(receiver.uri("/"), "short"))
        .hasMessage("secret must be at least 16 characters but was 5");
  }

  @Test
  void slackGetsAnEscapedIncomingWebhookPayload() {
    Notifiers.slack(receiver.uri("/services/T/B/X")).send(alert("<!channel> & <https://evil|click>"));
    assertThat(receiver.calls).hasSize(1);
    JsonObject body = Json.createReader(new StringReader(new String(receiver.calls.get(0).body(), StandardCharsets.UTF_8)))
        .readObject();
    String text = body.getString("text");
    assertThat(text).startsWith(":rotating_light: &lt;!channel&gt; &amp; &lt;https://evil|click&gt;")
        .contains("deadLetters: 2").contains("console: https://ops.example.com/?fingerprint=fp1")
        .contains("replay: dlq dead-letters replay dl-1").doesNotContain("<!channel>");
    assertThat(body.getJsonArray("blocks").getJsonObject(0).getJsonObject("text").getString("type")).isEqualTo("mrkdwn");
  }
}
