package dev.dlq.postgres.internal;

import dev.dlq.DeadLetterFilter;
import dev.dlq.PayloadField;
import dev.dlq.spi.Cursors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link DeadLetterFilter} (and a keyset cursor) as a parameterised WHERE clause. */
public final class Filters {
  private Filters() {}

  /** The clause (" WHERE ..." or "") and its parameters. */
  public record Where(String sql, List<Object> params) {}

  /** {@link #where(DeadLetterFilter, Optional, String)} for a filter without payload fields. */
  public static Where where(DeadLetterFilter f, Optional<Cursors.Position> after) {
    return where(f, after, null);
  }

  /**
   * The clause and its parameters; {@code quotedSchema} qualifies the payload function of V7
   * ({@code dlq_payload_jsonb}), whose GIN index answers payload-field criteria by containment.
   */
  public static Where where(DeadLetterFilter f, Optional<Cursors.Position> after, String quotedSchema) {
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
    f.payloadContains().ifPresent(v -> add(sb, params, "position(?::bytea in payload) > 0",
        v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    for (PayloadField pf : f.payloadFields()) {
      if (quotedSchema == null) {
        throw new IllegalStateException("a payload-field filter needs the schema");
      }
      String fn = quotedSchema + ".dlq_payload_jsonb(payload) @> ?::jsonb";
      if (pf.literal().isPresent()) {
        add(sb, params, "(" + fn + " OR " + fn + ")", containment(pf.path(), quote(pf.value())));
        params.add(containment(pf.path(), pf.literal().get()));
      } else {
        add(sb, params, fn, containment(pf.path(), quote(pf.value())));
      }
    }
    if (after.isPresent()) {
      sb.append(sb.length() == 0 ? " WHERE " : " AND ").append("(dead_at, id COLLATE \"C\") < (?, ?)");
      params.add(after.get().deadAt());
      params.add(after.get().id());
    }
    return new Where(sb.toString(), params);
  }

  /** {@code {"a":{"b":<leaf>}}} for path a.b. */
  private static String containment(List<String> path, String leaf) {
    StringBuilder sb = new StringBuilder();
    for (String k : path) {
      sb.append('{').append(quote(k)).append(':');
    }
    sb.append(leaf);
    sb.append("}".repeat(path.size()));
    return sb.toString();
  }

  private static String quote(String s) {
    return jakarta.json.Json.createValue(s).toString();
  }

  private static void add(StringBuilder sb, List<Object> params, String clause, Object value) {
    sb.append(sb.length() == 0 ? " WHERE " : " AND ").append(clause);
    params.add(value);
  }
}
