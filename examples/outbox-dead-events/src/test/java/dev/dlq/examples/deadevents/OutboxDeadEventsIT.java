package dev.dlq.examples.deadevents;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.dlq.DeadLetterJson;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.StoredDeadLetter;
import dev.dlq.postgres.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Seed 003 against the test PostgreSQL: every operation on dead events, from code, HTTP and the CLI. */
class OutboxDeadEventsIT {
  @Test
  void deadEventsAreListedCountedRetriedExportedMeasuredAndCleanedUp() throws Exception {
    TestDatabase db = TestDatabase.get();
    String schema = db.freshSchema("example_003");
    String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "" : "?user=" + db.user()
        + (db.password() == null ? "" : "&password=" + db.password()));
    Scenario.Result r = Scenario.run(db.dataSource(), url, schema, Duration.ofSeconds(5)); // retention: 5 s stand for 30 days

    // listed and counted: 6 order.paid and 2 payment.captured after 5 attempts, 1 malformed order.created
    Set<String> dead = r.code().listed();
    assertThat(dead).as("pages of 4 walked with the cursor: every dead event once").hasSize(9);
    for (Scenario.Seen seen : List.of(r.code(), r.http(), r.cli())) {
      assertThat(seen.listed()).as("code, HTTP and the CLI list the same dead events").isEqualTo(dead);
      assertThat(seen.counted()).as("and count them").isEqualTo(9);
    }
    assertThat(r.counts()).containsExactly(entry("aggregate_type=order", 7L), entry("aggregate_type=payment", 2L),
        entry("event_type=order.paid", 6L));

    // exported: JSON lines in the dead-letter format, and CSV, holding exactly the dead events
    for (Scenario.Seen seen : List.of(r.code(), r.http(), r.cli())) {
      List<StoredDeadLetter> json = seen.jsonExport().stream().map(l -> DeadLetterJson.storedFromJson(l.getBytes(UTF_8))).toList();
      assertThat(json).extracting(StoredDeadLetter::id).containsExactlyInAnyOrderElementsOf(dead);
      assertThat(json).allMatch(d -> d.status() == DeadLetterStatus.PENDING);
      StoredDeadLetter paid = json.stream().filter(d -> d.deadLetter().message().type().equals("order.paid")).findFirst().orElseThrow();
      assertThat(paid.deadLetter().attempts()).isEqualTo(5);
      assertThat(paid.deadLetter().reason()).isEqualTo(DeadLetterReason.EXHAUSTED);
      assertThat(paid.deadLetter().errorClass()).isEqualTo(ErrorClass.SYSTEM_ERROR);
      assertThat(new String(paid.deadLetter().message().payload(), UTF_8)).matches("\\{\"order\":\"o-\\d\",\"amount\":\\d+\\}");
      assertThat(seen.csvExport()).hasSize(10);
      assertThat(seen.csvExport().get(0)).startsWith("id,");
      assertThat(seen.csvExport().subList(1, 10)).extracting(l -> l.substring(1, l.indexOf('"', 1)))
          .containsExactlyInAnyOrderElementsOf(dead);
    }
    assertThat(r.code().csvExport()).anyMatch(l -> l.matches("\"[^\"]+\",\"order\",\"o-7\",\"order.created\",1,"
        + "\"dev.dlq.InvalidMessageException: the payload is not a JSON object\",\"[^\"]+\""));
    assertThat(r.code().csvExport()).filteredOn(l -> l.contains("\"payment.captured\"")).hasSize(2)
        .allMatch(l -> l.contains(",5,\"java.lang.IllegalStateException: invoice mapping has no field 'vat'"));

    // retried one by one and in batches, every way; the events were then delivered
    assertThat(r.retriedBy().values()).containsExactly("code, one", "code, batch", "code, batch", "http, one",
        "http, batch", "http, batch", "cli, one", "cli, batch");
    assertThat(r.retryAnswers()).containsEntry("code, one", "true").containsEntry("code, batch", "2");
    assertThat(r.retryAnswers().get("http, one")).contains("\"replayed\":1");
    assertThat(r.retryAnswers().get("http, batch")).contains("\"replayed\":2");
    assertThat(r.retryAnswers().get("cli, one")).startsWith("replayed 1 of 1");
    assertThat(r.retryAnswers().get("cli, batch")).startsWith("replayed 1 of 1");
    assertThat(r.delivered()).as("6 order.created at once, the 8 retried events after the fix")
        .hasSize(14).containsAll(r.retriedBy().keySet());

    // retention: the 8 handled (retried) dead events of the first wave went; the still-dead malformed one and
    // the 2 new ones (one of them discarded, but too young) stayed
    assertThat(r.deadSince()).isEqualTo(2);
    assertThat(r.cleanedUp()).isEqualTo(8);
    assertThat(r.left()).hasSize(3);
    assertThat(r.left()).filteredOn(dead::contains).hasSize(1);

    // alerted: more than 5 deaths within 10 minutes, delivered to the ops notifier once (throttled)
    assertThat(r.alerts()).hasSize(1);
    assertThat(r.alerts().get(0).rule()).isEqualTo("dead-events");
    assertThat(r.alerts().get(0).title()).endsWith("dead letters within 10m (more than 5)");
    assertThat(r.alerts().get(0).counts().get("deadLetters")).isBetween(6L, 9L);

    // metrics, scraped from the admin server's /metrics
    String store = "store=\"postgres:" + schema + "\"";
    assertThat(r.metricsAtPeak())
        .contains("outbox_dead_events{aggregate_type=\"order\",event_type=\"order.paid\"} 6.0")
        .contains("outbox_dead_events{aggregate_type=\"order\",event_type=\"order.created\"} 1.0")
        .contains("outbox_dead_events{aggregate_type=\"payment\",event_type=\"payment.captured\"} 2.0")
        .contains("dlq_dead_letters{status=\"pending\"," + store + "} 9.0");
    Function<String, Double> end = series -> value(r.metricsAtEnd(), series);
    assertThat(end.apply("dlq_dead_lettered_total{error_class=\"SYSTEM_ERROR\",reason=\"EXHAUSTED\",source=\"postgres:order\",type=\"order.paid\"}"))
        .isEqualTo(6.0);
    assertThat(end.apply("dlq_dead_lettered_total{error_class=\"SYSTEM_ERROR\",reason=\"EXHAUSTED\",source=\"postgres:payment\",type=\"payment.captured\"}"))
        .isEqualTo(2.0);
    assertThat(end.apply("dlq_messages_total{outcome=\"success\",source=\"postgres:order\"}")).isEqualTo(12.0);
    assertThat(end.apply("dlq_messages_total{outcome=\"success\",source=\"postgres:payment\"}")).isEqualTo(2.0);
    assertThat(end.apply("dlq_retries_total{error_class=\"SYSTEM_ERROR\",source=\"postgres:order\",type=\"order.paid\"}"))
        .as("4 retries before each of the 6 deaths").isEqualTo(24.0);
    assertThat(end.apply("dlq_replays_total{" + store + "}")).as("the replays from code and HTTP (the CLI is its own process)")
        .isEqualTo(6.0);
    assertThat(end.apply("dlq_attempts_before_dead_sum{source=\"postgres:order\"}")).isEqualTo(6 * 5 + 1 + 1);
  }

  /** The value of one series in a Prometheus text exposition. */
  private static double value(String exposition, String series) {
    Map<String, Double> values = exposition.lines().filter(l -> !l.startsWith("#") && l.contains(" "))
        .collect(Collectors.toMap(l -> l.substring(0, l.lastIndexOf(' ')),
            l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), (a, b) -> a));
    assertThat(values).as("series %s in%n%s", series, exposition).containsKey(series);
    return values.get(series);
  }
}
