package dev.dlq.alerts;

import static dev.dlq.alerts.Fixtures.dead;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.ErrorClass;
import dev.dlq.RecordResult;
import dev.dlq.RetryPolicy;
import dev.dlq.StoredDeadLetter;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Alert;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Alerts as tasks on dlq's PostgreSQL queue: a receiver that is down gets them later, once; one that never comes up leaves dead letters. */
class DurableDeliveryIT {
  static final String SECRET = "a-shared-secret-of-some-length";
  final TestDatabase db = TestDatabase.get();
  final String schema = db.migratedSchema("alerts");
  final PostgresQueue queue = PostgresQueue.builder(db.dataSource(), AlertDelivery.DEFAULT_QUEUE).schema(schema).build();
  final PostgresDeadLetterStore store = queue.deadLetterStore();
  final Receiver receiver = WebhookTest.newReceiver();
  AlertMonitor monitor;

  @AfterEach
  void stop() {
    if (monitor != null) {
      monitor.close();
    }
    receiver.close();
  }

  AlertMonitor start(RetryPolicy policy) {
    AlertDelivery delivery = AlertDelivery.builder()
        .channel("ops", Notifiers.webhook(receiver.uri("/hook"), SECRET)).queue(queue).retryPolicy(policy).build();
    monitor = AlertMonitor.builder(store).delivery(delivery)
        .rule(AlertRule.errorClass("system", ErrorClass.SYSTEM_ERROR).withThrottle(Duration.ZERO))
        .pollEvery(Duration.ofMillis(200)).build().start();
    return monitor;
  }

  void died(String id, String errorType) {
    var dl = dead(id, "charge", ErrorClass.SYSTEM_ERROR, errorType, "failed", Map.of(), "{}", Instant.now());
    RecordResult r = store.record(dl);
    monitor.observer().deadLettered(dl, r, Duration.ZERO);
  }

  @Test
  void aReceiverThatIsDownGetsEveryAlertOnceWhenItComesBack() {
    receiver.status.set(503);
    start(RetryPolicy.fixed(Duration.ofMillis(200), 100));
    died("m1", "BoomA");
    died("m2", "BoomB");
    died("m3", "BoomC");
    Await.until("each alert was refused twice", Duration.ofSeconds(20), () -> receiver.calls.size() >= 6);

    receiver.status.set(200);
    Await.until("three alerts delivered", Duration.ofSeconds(20),
        () -> receiver.calls.stream().filter(c -> c.status() == 200).count() >= 3);
    Await.until("the alert queue is drained", Duration.ofSeconds(10), () -> queueSize() == 0);

    List<Receiver.Call> ok = receiver.calls.stream().filter(c -> c.status() == 200).toList();
    assertThat(ok).hasSize(3);
    WebhookVerifier verifier = WebhookVerifier.of(SECRET);
    assertThat(ok).allSatisfy(c -> assertThat(verifier.verify(c.header(WebhookNotifier.SIGNATURE_HEADER), c.body()))
        .isEqualTo(WebhookVerifier.Result.VALID));
    List<Alert> alerts = ok.stream().map(c -> AlertJson.read(new String(c.body(), StandardCharsets.UTF_8))).toList();
    assertThat(alerts).extracting(a -> a.sample().orElseThrow().errorType())
        .containsExactlyInAnyOrder("BoomA", "BoomB", "BoomC");
    assertThat(alerts.stream().map(Alert::id).collect(Collectors.toSet())).hasSize(3);
    // every refused call was a retry of one of these three alerts, not a fourth
    assertThat(receiver.calls.stream().map(c -> c.header(WebhookNotifier.ID_HEADER)).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(alerts.stream().map(Alert::id).toList());
    assertThat(store.count(DeadLetterFilter.builder().type(AlertDelivery.TASK_TYPE).build())).isZero();
  }

  @Test
  void aReceiverThatNeverComesUpLeavesADeadLetterInTheStore() {
    receiver.status.set(500);
    start(RetryPolicy.fixed(Duration.ofMillis(100), 3));
    died("m1", "Boom");
    DeadLetterFilter alertsOnly = DeadLetterFilter.builder().type(AlertDelivery.TASK_TYPE).build();
    Await.until("the alert is dead-lettered", Duration.ofSeconds(20), () -> store.count(alertsOnly) == 1);

    assertThat(receiver.calls).hasSize(3);
    StoredDeadLetter s = store.find(DeadLetterQuery.of(alertsOnly, 10)).items().get(0);
    assertThat(s.deadLetter().errorType()).isEqualTo(NotificationFailedException.class.getName());
    assertThat(s.deadLetter().attempts()).isEqualTo(3);
    assertThat(s.deadLetter().message().headers()).containsEntry(AlertDelivery.CHANNEL_HEADER, "ops");
    Alert alert = AlertJson.read(s.deadLetter().message().payloadAsString());
    assertThat(alert.rule()).isEqualTo("system");
    assertThat(alert.id()).isEqualTo(receiver.calls.get(0).header(WebhookNotifier.ID_HEADER));
  }

  private long queueSize() {
    try (var c = db.connect(); var st = c.createStatement();
        var rs = st.executeQuery("SELECT count(*) FROM " + schema + ".tasks WHERE queue = 'dlq-alerts' AND status IN ('READY', 'RUNNING')")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
