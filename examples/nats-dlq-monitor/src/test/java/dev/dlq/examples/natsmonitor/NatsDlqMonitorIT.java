package dev.dlq.examples.natsmonitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.ReplayJob;
import dev.dlq.nats.DlqAction;
import dev.dlq.nats.JetStreamDlq;
import dev.dlq.postgres.testing.TestDatabase;
import dev.dlq.spi.Alert;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Seed 001 against real servers: NATS JetStream ({@code DLQ_IT_NATS_URL}, else 127.0.0.1:4222), the
 * test PostgreSQL, and a real HTTP receiver for the alert. Without NATS the test is skipped, or fails
 * under {@code CI=true}.
 */
class NatsDlqMonitorIT {
  @Test
  void retriesDeadLettersMonitorsAlertsAndReplaysAsTheSeedSays() throws Exception {
    String prefix = "sahool" + UUID.randomUUID().toString().substring(0, 8); // streams and subjects of this run only
    String stream = prefix.toUpperCase(Locale.ROOT) + "_EVENTS";
    try (JetStreamDlq nats = connect(prefix)) {
      TestDatabase db = TestDatabase.get();
      String schema = db.freshSchema("example_001");
      try {
        Scenario.Result r = Scenario.run(nats, db.dataSource(), schema, stream);

        assertThat(r.dlqSubjects()).as("one DLQ subject per event type: <prefix>.dlq.<type>").containsExactlyInAnyOrderEntriesOf(Map.of(
            prefix + ".dlq.soil_moisture", 1L,
            prefix + ".dlq.weather_update", 2L,   // dead, retried once by the monitor, dead again
            prefix + ".dlq.yield_forecast", 1L,
            prefix + ".dlq.legacy_sync", 1L));
        assertThat(r.actions()).as("the monitor's actions").containsExactlyInAnyOrderEntriesOf(Map.of(
            DlqAction.STORE, 3L, DlqAction.RETRY, 1L, DlqAction.DISCARD, 1L, DlqAction.ALERT, 0L));
        assertThat(r.stored()).as("stored in PostgreSQL; the discarded one is not").containsOnlyKeys(
            "soil_moisture", "weather_update", "yield_forecast");

        DeadLetter invalid = r.stored().get("soil_moisture").deadLetter();
        assertThat(invalid.reason()).as("a validation error goes to the DLQ at once").isEqualTo(DeadLetterReason.INVALID);
        assertThat(invalid.attempts()).isEqualTo(1);
        assertThat(invalid.errorClass()).isEqualTo(ErrorClass.USER_ERROR);
        assertThat(invalid.errorMessage()).isEqualTo("moisture must be a number between 0 and 1 but was 7.5");

        DeadLetter weather = r.stored().get("weather_update").deadLetter();
        assertThat(weather.reason()).as("retried, then dead").isEqualTo(DeadLetterReason.EXHAUSTED);
        assertThat(weather.attempts()).isEqualTo(3);
        assertThat(weather.errorClass()).isEqualTo(ErrorClass.RECOVERABLE);
        assertThat(weather.history()).extracting(Attempt::number).containsExactly(1, 2, 3);
        assertThat(r.stored().get("weather_update").status()).isEqualTo(DeadLetterStatus.PENDING);

        DeadLetter critical = r.stored().get("yield_forecast").deadLetter();
        assertThat(critical.errorClass()).isEqualTo(ErrorClass.SYSTEM_ERROR);
        assertThat(critical.errorType()).isEqualTo(AnalysisConsumer.DatabaseError.class.getName());
        assertThat(critical.errorMessage()).isEqualTo("relation yield_forecasts does not exist");
        assertThat(critical.stackTrace()).contains("AnalysisConsumer.handle");
        assertThat(critical.attempts()).isEqualTo(3);
        assertThat(critical.message().payloadAsString()).isEqualTo("{\"field\":\"f-5\"}");
        assertThat(critical.message().headers()).containsEntry("tenant", "farm-7").containsEntry("source-service", "field-analysis");
        assertThat(critical.message().source().destination()).as("the original subject").isEqualTo(prefix + ".analysis.yield_forecast");

        assertThat(r.alerts()).as("one alert, for the critical error, received and verified by the webhook")
            .singleElement().satisfies(a -> {
              assertThat(a.rule()).isEqualTo("critical");
              assertThat(a.severity()).isEqualTo(Alert.Severity.CRITICAL);
              assertThat(a.sample()).hasValueSatisfying(s -> {
                assertThat(s.messageType()).isEqualTo("yield_forecast");
                assertThat(s.deadLetterId()).isEqualTo(critical.id());
              });
            });

        assertThat(r.groupReplay().state()).as("the failure-group replay").isEqualTo(ReplayJob.State.COMPLETED);
        assertThat(r.groupReplay().sent()).isEqualTo(1);
        assertThat(r.groupReplay().diedAgain()).isZero();
        assertThat(r.processed()).as("a flaky service recovers on retry; both replays are processed, each a fresh first attempt")
            .containsExactly("soil_moisture/f-1 after 1 attempt(s)", "ndvi_ready/f-3 after 3 attempt(s)",
                "weather_update/f-4 after 1 attempt(s)", "yield_forecast/f-5 after 1 attempt(s)");
        assertThat(r.after().get("weather_update").status()).isEqualTo(DeadLetterStatus.REPLAYED);
        assertThat(r.after().get("yield_forecast").status()).isEqualTo(DeadLetterStatus.REPLAYED);
        assertThat(r.after().get("soil_moisture").status()).isEqualTo(DeadLetterStatus.RESOLVED);
      } finally {
        Scenario.deleteStreams(nats, stream);
      }
    }
  }

  private static JetStreamDlq connect(String prefix) {
    String url = System.getenv().getOrDefault("DLQ_IT_NATS_URL", "nats://127.0.0.1:4222");
    try {
      return JetStreamDlq.builder(prefix).servers(url).build();
    } catch (RuntimeException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("no NATS JetStream at " + url + " (CI=true: integration tests must not be skipped)", e);
      }
      Assumptions.abort("no NATS JetStream at " + url + ": " + e);
      throw e;
    }
  }
}
