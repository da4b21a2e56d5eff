package dev.dlq.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.spi.Cursors;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NamesAndFiltersTest {
  @Test
  void schemaNamesArePlainIdentifiers() {
    assertThat(Names.schema("dlq")).isEqualTo("dlq");
    assertThat(Names.schema("_a1")).isEqualTo("_a1");
    assertThat(Names.quoted("Billing")).isEqualTo("\"Billing\"");
    for (String bad : new String[] {"", "1a", "a-b", "a b", "a\"b", "x".repeat(64)}) {
      assertThatThrownBy(() -> Names.schema(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("schema must be a plain identifier");
    }
    assertThatThrownBy(() -> Names.schema(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void filtersBecomeParameterisedClauses() {
    assertThat(Filters.where(DeadLetterFilter.all(), Optional.empty()).sql()).isEmpty();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    DeadLetterFilter f = DeadLetterFilter.builder().type("o'rder").errorClass(ErrorClass.USER_ERROR)
        .status(DeadLetterStatus.PENDING).deadFrom(t).build();
    Filters.Where w = Filters.where(f, Optional.of(new Cursors.Position(t, "id-1")));
    assertThat(w.sql()).isEqualTo(" WHERE type = ? AND error_class = ? AND status = ? AND dead_at >= ?"
        + " AND (dead_at, id COLLATE \"C\") < (?, ?)");
    assertThat(w.params()).containsExactly("o'rder", "USER_ERROR", "PENDING", t, t, "id-1");
  }
}
