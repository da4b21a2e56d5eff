package dev.dlq.alerts;

import static dev.dlq.alerts.Fixtures.dead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.ErrorClass;
import dev.dlq.RetryPolicy;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** USER_ERROR notifies the owner named by a header: a row in the notifications table, through the durable queue. */
class UserNotificationsIT {
  final TestDatabase db = TestDatabase.get();
  final String schema = db.migratedSchema("notif");
  final PostgresQueue queue = PostgresQueue.builder(db.dataSource(), AlertDelivery.DEFAULT_QUEUE).schema(schema).build();
  final PostgresDeadLetterStore store = queue.deadLetterStore();
  final UserNotifications notifications = UserNotifications.of(db.dataSource(), schema);

  @Test
  void theOwnerOfAFailedJobFindsItInTheirNotifications() {
    Fixtures.Recorder ops = new Fixtures.Recorder();
    AlertDelivery delivery = AlertDelivery.builder().channel("users", notifications).channel("ops", ops).queue(queue)
        .retryPolicy(RetryPolicy.fixed(Duration.ofMillis(100), 3)).build();
    try (AlertMonitor monitor = AlertMonitor.builder(store).delivery(delivery)
        .rules(AlertRules.parse("""
            {"rules": [
              {"name": "user-errors", "kind": "error-class", "errorClasses": ["USER_ERROR"], "ownerHeader": "user-id",
               "notify": ["users"], "throttle": "0s"},
              {"name": "system-errors", "kind": "error-class", "errorClasses": ["SYSTEM_ERROR"], "notify": ["ops"]}
            ]}"""))
        .pollEvery(Duration.ofMillis(200)).build().start()) {
      for (String[] job : new String[][] {{"j1", "u-42"}, {"j2", "u-42"}, {"j3", "u-7"}}) {
        var dl = dead(job[0], "chart", ErrorClass.USER_ERROR, "InvalidRange", "end before start",
            Map.of("user-id", job[1]), "{}", Instant.now());
        monitor.observer().deadLettered(dl, store.record(dl), Duration.ZERO);
      }
      Await.until("three notifications", Duration.ofSeconds(20),
          () -> notifications.list("u-42", 10, false).size() == 2 && notifications.list("u-7", 10, false).size() == 1);
    }
    List<UserNotifications.Notification> mine = notifications.list("u-42", 10, false);
    assertThat(mine).allSatisfy(n -> {
      assertThat(n.recipient()).isEqualTo("u-42");
      assertThat(n.rule()).isEqualTo("user-errors");
      assertThat(n.severity()).isEqualTo("INFO");
      assertThat(n.title()).isEqualTo("USER_ERROR in chart: InvalidRange: end before start");
      assertThat(n.messageType()).contains("chart");
      assertThat(AlertJson.read(n.alertJson()).recipient()).contains("u-42");
    });
    assertThat(ops.alerts).isEmpty();

    assertThat(notifications.markRead("u-7", List.of(mine.get(0).id()))).isZero(); // not theirs
    assertThat(notifications.markRead("u-42", List.of(mine.get(0).id()))).isEqualTo(1);
    assertThat(notifications.list("u-42", 10, true)).extracting(UserNotifications.Notification::id)
        .containsExactly(mine.get(1).id());

    Alert again = AlertJson.read(mine.get(1).alertJson());
    notifications.send(again); // a redelivery of the same alert
    assertThat(notifications.list("u-42", 10, false)).hasSize(2);
    assertThatThrownBy(() -> notifications.send(new Alert("x", "r", Alert.Severity.INFO, "*", java.util.Optional.empty(),
        "t", Map.of(), java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(), Instant.now())))
        .hasMessageContaining("has no recipient");
  }
}
