package dev.dlq.examples.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.postgres.testing.TestDatabase;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Seed 004 against real servers: the test PostgreSQL and NATS JetStream on 127.0.0.1:4222. */
class OutboxRelayIT {
  @Test
  void theRelaySurvivesABrokerOutageAndDeadLettersOnlyWhatItCannotRoute() throws Exception {
    TestDatabase db = TestDatabase.get();
    String schema = db.freshSchema("example_004");
    String url = System.getenv().getOrDefault("DLQ_IT_NATS_URL", "nats://127.0.0.1:4222");
    try (Connection nats = Nats.connect(url)) {
      String prefix = "ex" + UUID.randomUUID().toString().substring(0, 8) + ".orders";
      Scenario.Result r = Scenario.run(db.dataSource(), schema, nats, prefix, Duration.ofSeconds(3));

      assertThat(r.relayed()).as("every routable event reached the broker, once").isEqualTo(48);
      assertThat(r.deadByType()).as("only the two events of an unknown type are dead letters")
          .containsExactly(Map.entry("OrderTeleported", 2L));
      assertThat(r.deadLetters()).isEqualTo(2);
      assertThat(r.breakerOpened()).as("the outage opened the breaker").isPositive();
      assertThat(r.metrics()).contains("dlq_messages_total{outcome=\"success\",source=\"postgres:outbox\"} 48.0")
          .contains("dlq_dead_lettered_total{error_class=\"USER_ERROR\",reason=\"INVALID\",source=\"postgres:outbox\",type=\"OrderTeleported\"} 2.0")
          .contains("dlq_circuit_state{source=\"outbox\",worker=\"outbox-relay-1\"}")
          .contains("dlq_processing_seconds_count{source=\"postgres:outbox\",type=\"OrderCreated\"}");
    }
  }
}
