package dev.dlq.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.postgres.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Payload-field search on PostgreSQL is a containment test on {@code dlq_payload_jsonb(payload)} that
 * the GIN index of V7 answers, and a malformed or binary payload never breaks it.
 */
class PayloadSearchIT {
  private final TestDatabase db = TestDatabase.get();

  @Test
  void aPayloadFieldSearchReadsTheGinIndexAndSurvivesPayloadsThatAreNotJson() throws Exception {
    String schema = db.migratedSchema("search");
    PostgresDeadLetterStore store = PostgresDeadLetterStore.builder(db.dataSource()).schema(schema).build();
    Instant t = Instant.parse("2026-03-01T00:00:00Z");
    SourceRef src = SourceRef.of("postgres", "search");
    for (int i = 0; i < 300; i++) {
      byte[] payload = i % 3 == 0 ? new byte[] {(byte) 0xff, (byte) 0xfe, '{'}
          : i % 3 == 1 ? "{\"broken\": ".getBytes(StandardCharsets.UTF_8)
          : ("{\"customer\":{\"id\":" + i + "}}").getBytes(StandardCharsets.UTF_8);
      store.record(DeadLetter.builder(new Message("m-" + i, "order", payload, Map.of(), src, 1, t)).errorType("x")
          .deadAt(t.plusSeconds(i)).build());
    }
    DeadLetterFilter f = DeadLetterFilter.builder().payloadField("customer.id", "200").build();
    assertThat(store.count(f)).isEqualTo(1);
    assertThat(store.count(DeadLetterFilter.builder().payloadField("broken", "x").build())).isZero();

    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute("ANALYZE \"" + schema + "\".dead_letters");
      st.execute("SET enable_seqscan = off"); // a table this small would be scanned: ask whether the index can answer
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN SELECT count(*) FROM \"" + schema + "\".dead_letters WHERE \""
          + schema + "\".dlq_payload_jsonb(payload) @> ?::jsonb")) {
        ps.setString(1, "{\"customer\":{\"id\":200}}");
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
        assertThat(plan.toString()).contains("dead_letters_payload_jsonb");
      }
    }
  }
}
