package dev.dlq.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.RetryPolicy;
import dev.dlq.StoredDeadLetter;
import dev.dlq.nats.JetStreamDlq;
import dev.dlq.spi.Alert;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where only NATS is used: alert tasks on a JetStream stream, retried while the receiver is down, dead-lettered to the DLQ stream if it never comes up. */
class NatsDeliveryIT {
  static final String SECRET = "a-shared-secret-of-some-length";
  final Receiver receiver = WebhookTest.newReceiver();
  Connection conn;
  JetStreamDlq nats;
  String stream;
  String subject;
  AlertDelivery delivery;

  @BeforeEach
  void connect() throws Exception {
    try {
      conn = Nats.connect(new Options.Builder().server("nats://127.0.0.1:4222").connectionTimeout(Duration.ofSeconds(3))
          .maxReconnects(0).build());
    } catch (Exception e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("no NATS at 127.0.0.1:4222 (CI=true: integration tests must not be skipped)", e);
      }
      Assumptions.assumeTrue(false, "no NATS at 127.0.0.1:4222: " + e);
    }
    String id = "TALERTS" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
    stream = id + "_TASKS";
    subject = id.toLowerCase() + ".alerts";
    conn.jetStreamManagement().addStream(StreamConfiguration.builder().name(stream).subjects(subject)
        .storageType(StorageType.File).build());
    nats = JetStreamDlq.builder(id.toLowerCase()).connection(conn).build();
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (delivery != null) {
      delivery.close();
    }
    receiver.close();
    if (conn != null) {
      JetStreamManagement jsm = conn.jetStreamManagement();
      for (String s : List.of(stream, nats.dlqStream(), nats.dlqStream() + "_AUDIT", "KV_" + nats.dlqStream() + "_STATE")) {
        try {
          jsm.deleteStream(s);
        } catch (Exception ignored) {
          // not made by this test
        }
      }
      nats.close();
      conn.close();
    }
  }

  static Alert alert(String n) {
    return new Alert("alert-" + n + "-" + UUID.randomUUID(), "system", Alert.Severity.CRITICAL, "fp", Optional.empty(),
        "alert " + n, Map.of("deadLetters", 1L), Optional.empty(), Optional.empty(), Optional.empty(), Instant.now());
  }

  AlertDelivery start(RetryPolicy policy) {
    delivery = AlertDelivery.builder().channel("ops", Notifiers.webhook(receiver.uri("/hook"), SECRET))
        .transport(NatsAlertTransport.of(nats, conn, stream, subject)).retryPolicy(policy).build().start();
    return delivery;
  }

  @Test
  void aReceiverThatIsDownGetsEveryAlertOnceWhenItComesBack() {
    receiver.status.set(503);
    start(RetryPolicy.fixed(Duration.ofMillis(200), 100));
    List<Alert> sent = List.of(alert("a"), alert("b"));
    sent.forEach(a -> delivery.send(a, List.of("ops")));
    delivery.send(sent.get(0), List.of("ops")); // the same alert again: the stream drops the duplicate
    Await.until("each alert was refused twice", Duration.ofSeconds(20), () -> receiver.calls.size() >= 4);
    receiver.status.set(200);
    Await.until("both delivered", Duration.ofSeconds(20),
        () -> receiver.calls.stream().filter(c -> c.status() == 200).count() >= 2);
    sleep(600); // nothing more arrives
    List<String> ok = receiver.calls.stream().filter(c -> c.status() == 200)
        .map(c -> c.header(WebhookNotifier.ID_HEADER)).toList();
    assertThat(ok).containsExactlyInAnyOrderElementsOf(sent.stream().map(Alert::id).toList());
    assertThat(receiver.calls.stream().map(c -> c.header(WebhookNotifier.ID_HEADER)).collect(Collectors.toSet()))
        .hasSize(2);
    assertThat(receiver.calls).allSatisfy(c -> assertThat(WebhookVerifier.of(SECRET)
        .verify(c.header(WebhookNotifier.SIGNATURE_HEADER), c.body())).isEqualTo(WebhookVerifier.Result.VALID));
  }

  @Test
  void aReceiverThatNeverComesUpLeavesADeadLetterInTheDlqStream() {
    receiver.status.set(500);
    start(RetryPolicy.fixed(Duration.ofMillis(100), 3));
    Alert a = alert("never");
    delivery.send(a, List.of("ops"));
    DeadLetterFilter alertsOnly = DeadLetterFilter.builder().type(AlertDelivery.TASK_TYPE).build();
    Await.until("the alert is dead-lettered", Duration.ofSeconds(20), () -> nats.store().count(alertsOnly) == 1);
    assertThat(receiver.calls).hasSize(3);
    StoredDeadLetter s = nats.store().find(DeadLetterQuery.of(alertsOnly, 10)).items().get(0);
    assertThat(s.deadLetter().errorType()).isEqualTo(NotificationFailedException.class.getName());
    assertThat(AlertJson.read(s.deadLetter().message().payloadAsString()).id()).isEqualTo(a.id());
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
