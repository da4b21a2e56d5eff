package dev.dlq.postgres.internal;

import dev.dlq.DeadLetterFilter;
import dev.dlq.spi.Cursors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link DeadLetterFilter} (and a keyset cursor) as a parameterised WHERE clause. */
public final class Filters {
  private Filters() {}

  /** The clause (" WHERE ..." or "") and its parameters. */
  public record Where(String sql, List<Object> params) {}

  public static Where where(DeadLetterFilter f, Optional<Cursors.Position> after) {
    StringBuilder sb = new StringBuilder();
    List<Object> params = new ArrayList<>();
    f.type().ifPresent(v -> add(sb, params, "type = ?", v));
    f.errorClass().ifPresent(v -> add(sb, params, "error_class = ?", v.name()));
    f.errorType().ifPresent(v -> add(sb, params, "error_type = ?", v));
    f.status().ifPresent(v -> add(sb, params, "status = ?", v.name()));
    f.source().ifPresent(v -> add(sb, params, "source_destination = ?", v));
    f.fingerprint().ifPresent(v -> add(sb, params, "fingerprint = ?", v));
    f.reason().ifPresent(v -> add(sb, params, "reason = ?", v.name()));
    f.deadFrom().ifPresent(v -> add(sb, params, "dead_at >= ?", v));
    f.deadBefore().ifPresent(v -> add(sb, params, "dead_at < ?", v));
    if (after.isPresent()) {
      sb.append(sb.length() == 0 ? " WHERE " : " AND ").append("(dead_at, id COLLATE \"C\") < (?, ?)");
      params.add(after.get().deadAt());
      params.add(after.get().id());
    }
    return new Where(sb.toString(), params);
  }

  private static void add(StringBuilder sb, List<Object> params, String clause, Object value) {
    sb.append(sb.length() == 0 ? " WHERE " : " AND ").append(clause);
    params.add(value);
  }
}
