package dev.dlq.alerts.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.dlq.alerts.NotificationFailedException;
import dev.dlq.spi.Alert;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** E-mail alerts through a real SMTP server (GreenMail) on a free loopback port. */
class MailNotifierTest {
  GreenMail smtp;
  int port;

  @BeforeEach
  void startSmtp() throws IOException {
    port = freePort();
    smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
  }

  @AfterEach
  void stopSmtp() {
    smtp.stop();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static Alert alert(Optional<String> recipient) {
    return new Alert("a-7", "system", Alert.Severity.CRITICAL, "fp1", recipient, "SYSTEM_ERROR in charge: Boom\r\nBcc: x@evil",
        Map.of("deadLetters", 4L), Optional.of(new Alert.Sample("dl-1", "charge", "orders", "SYSTEM_ERROR", "Boom",
        "db down", Map.of("authorization", "[REDACTED]"), "{\"a\":1}", "fp1", Instant.parse("2026-11-30T09:59:00Z"))),
        Optional.of("https://ops.example.com/?fingerprint=fp1"), Optional.of("dlq dead-letters replay dl-1"),
        Instant.parse("2026-11-30T10:00:00Z"));
  }

  @Test
  void sendsThePlainTextAlertToTheOpsAddress() throws Exception {
    MailNotifier.builder("127.0.0.1", port).from("dlq@example.com").to("ops@example.com").build()
        .send(alert(Optional.empty()));
    assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
    MimeMessage m = smtp.getReceivedMessages()[0];
    assertThat(m.getAllRecipients()).extracting(Object::toString).containsExactly("ops@example.com");
    assertThat(m.getSubject()).isEqualTo("[dlq CRITICAL] SYSTEM_ERROR in charge: Boom Bcc: x@evil");
    assertThat(m.getHeader("X-Dlq-Alert-Id")).containsExactly("a-7");
    String body = ((String) m.getContent()).replace("\r\n", "\n");
    assertThat(body).contains("deadLetters: 4").contains("authorization=[REDACTED]")
        .contains("console: https://ops.example.com/?fingerprint=fp1").contains("replay: dlq dead-letters replay dl-1");
  }

  @Test
  void sendsToTheOwnerWhenTheRecipientIsAnAddress() throws Exception {
    MailNotifier n = MailNotifier.builder("127.0.0.1", port).from("dlq@example.com").to("ops@example.com")
        .toRecipient().build();
    n.send(alert(Optional.of("owner@example.com")));
    n.send(alert(Optional.of("u-42")));  // not an address: the default goes
    assertThat(smtp.waitForIncomingEmail(5000, 2)).isTrue();
    assertThat(smtp.getReceivedMessages()).extracting(m -> m.getAllRecipients()[0].toString())
        .containsExactly("owner@example.com", "ops@example.com");
  }

  @Test
  void anUnreachableServerIsAFailureToDeliver() {
    smtp.stop();
    MailNotifier n = MailNotifier.builder("127.0.0.1", port).from("dlq@example.com").to("ops@example.com")
        .timeout(Duration.ofSeconds(2)).build();
    assertThatThrownBy(() -> n.send(alert(Optional.empty()))).isInstanceOf(NotificationFailedException.class)
        .hasMessageStartingWith("mail for alert a-7 was not accepted");
    assertThatThrownBy(() -> MailNotifier.builder("h", 25).from("not an address")).hasMessage(
        "from must be an e-mail address but was not an address");
    assertThatThrownBy(() -> MailNotifier.builder("h", 25).from("a@b.c").build())
        .hasMessage("to must name at least one address (or use toRecipient())");
    smtp.start();
  }
}
