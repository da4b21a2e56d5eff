package dev.dlq.examples.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.dlq.alerts.AutoRecovery;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Alert;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Seed 002 against real servers: the test PostgreSQL, GreenMail SMTP and JDK HTTP receivers in this JVM. */
class ErrorClassRoutingIT {
  @Test
  void eachErrorClassTakesItsRouteAndTheEndpointsCountThem() throws Exception {
    TestDatabase db = TestDatabase.get();
    Scenario.Result r = Scenario.run(db.dataSource(), db.freshSchema("example_002"), Duration.ofSeconds(3));

    // ops: one alert per class and failure group (two SYSTEM_ERROR deaths, one group, one alert)
    assertThat(r.opsAlerts()).as("what reached the ops webhook, signature checked")
        .extracting(Alert::rule, Alert::severity, a -> a.sample().orElseThrow().errorClass(), Alert::recipient)
        .containsExactlyInAnyOrder(
            tuple("ops-critical", Alert.Severity.CRITICAL, "SYSTEM_ERROR", Optional.empty()),
            tuple("ops-recoverable", Alert.Severity.WARNING, "RECOVERABLE", Optional.empty()),
            tuple("ops-unclassified", Alert.Severity.WARNING, "UNKNOWN", Optional.empty()));

    // users: each owner hears of their own bad request, by mail and in the notifications table, and nobody else does
    String prefix = " | [dlq INFO] USER_ERROR in chart.render: dev.dlq.examples.routing.RenderFailed: the renderer answered ";
    assertThat(r.mails()).containsExactlyInAnyOrder(
        Scenario.ANA + prefix + "400: a pie cannot have negative slices",
        Scenario.BEN + prefix + "404: no such dataset");
    assertThat(r.notifications()).extracting(n -> n.recipient() + " " + n.rule() + " " + n.severity() + " "
            + n.title().substring(n.title().lastIndexOf("answered ")))
        .containsExactlyInAnyOrder(Scenario.ANA + " owner INFO answered 400: a pie cannot have negative slices",
            Scenario.BEN + " owner INFO answered 404: no such dataset");

    // recovery: the RECOVERABLE job waited in the recovery queue, was replayed once by itself and rendered
    assertThat(json(r.recoveryQueueDuringOutage()).getJsonNumber("total").longValue()).isEqualTo(1);
    assertThat(json(r.recoveryQueueDuringOutage()).getJsonObject("byErrorClass")).isEqualTo(counts(Map.of("RECOVERABLE", 1)));
    assertThat(json(r.recoveryQueueAfter()).getJsonNumber("total").longValue()).isZero();
    assertThat(r.rendered()).as("each chart rendered once; forecast after its replay; nothing else ever")
        .isEqualTo(Map.of("sales", 1, "traffic", 1, "forecast", 1));

    // GET /api/dead-letters/stats?since=24h: the seed's stats endpoint
    JsonObject stats = json(r.stats());
    assertThat(stats.getJsonNumber("total").longValue()).isEqualTo(6);
    assertThat(stats.getJsonObject("byErrorClass"))
        .isEqualTo(counts(Map.of("RECOVERABLE", 1, "USER_ERROR", 2, "SYSTEM_ERROR", 2, "UNKNOWN", 1)));
    assertThat(stats.getJsonObject("byStatus")).isEqualTo(counts(Map.of("PENDING", 4, "REPLAYED", 1, "DISCARDED", 1)));
    assertThat(stats.getJsonObject("byType")).isEqualTo(counts(Map.of("chart.render", 6)));

    // GET /api/dead-letters?limit=10: the seed's recent failures, newest first
    List<JsonObject> items = json(r.failures()).getJsonArray("items").getValuesAs(JsonObject.class);
    assertThat(items).hasSize(6);
    assertThat(items).extracting(i -> Instant.parse(i.getString("deadAt")))
        .isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(items).extracting(i -> i.getString("errorClass") + " " + i.getString("reason") + " " + i.getInt("attempts")
            + " " + i.getString("status") + " " + i.getInt("replayCount") + " " + i.getString("replayFate"))
        .containsExactlyInAnyOrder(
            "RECOVERABLE EXHAUSTED 3 REPLAYED 1 REPLAYED",    // auto-replayed, and it did not die again
            "USER_ERROR NON_RETRYABLE 1 PENDING 0 NOT_REPLAYED",  // a bad request is not retried
            "USER_ERROR NON_RETRYABLE 1 PENDING 0 NOT_REPLAYED",
            "SYSTEM_ERROR EXHAUSTED 3 PENDING 0 NOT_REPLAYED",    // waits for a fix, never replayed by itself
            "SYSTEM_ERROR EXHAUSTED 3 PENDING 0 NOT_REPLAYED",
            "UNKNOWN EXHAUSTED 3 DISCARDED 0 NOT_REPLAYED");      // abandoned by ops

    // GET /api/audit: who replayed and who abandoned what
    assertThat(json(r.audit()).getJsonArray("items").getValuesAs(JsonObject.class))
        .extracting(e -> e.getString("operator") + " " + e.getString("action") + " " + e.getInt("count"))
        .containsExactlyInAnyOrder(AutoRecovery.OPERATOR + " replay 1", "olga-from-ops discard 1");

    // GET /metrics: attempts before death, for the seed's average retry count (14 / 6)
    assertThat(r.metrics()).contains("dlq_attempts_before_dead_sum{source=\"postgres:charts\"} 14.0")
        .contains("dlq_attempts_before_dead_count{source=\"postgres:charts\"} 6")
        .contains("dlq_dead_lettered_total{error_class=\"SYSTEM_ERROR\",reason=\"EXHAUSTED\",source=\"postgres:charts\",type=\"chart.render\"} 2.0");
  }

  private static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  private static JsonObject counts(Map<String, Integer> counts) {
    JsonObjectBuilder b = Json.createObjectBuilder();
    counts.forEach(b::add);
    return b.build();
  }
}
