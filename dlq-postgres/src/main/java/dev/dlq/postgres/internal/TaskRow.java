package dev.dlq.postgres.internal;

import dev.dlq.Message;
import dev.dlq.SourceRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/**
 * A task row as the claim statements return it: id, type, payload, headers, attempts,
 * max_attempts, created_at (then whatever the statement adds). Its failed attempts are not on the
 * row but in {@code task_attempts} ({@link Attempts#load}).
 */
public record TaskRow(String id, String type, byte[] payload, String headersJson, int attempts, int maxAttempts,
    Instant createdAt) {

  public static TaskRow read(ResultSet rs) throws SQLException {
    return new TaskRow(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4), rs.getInt(5), rs.getInt(6),
        Jdbc.instant(rs, 7));
  }

  /** The headers, or an {@link IllegalArgumentException} when the row holds something else. */
  public Map<String, String> headers() {
    return Json.parseHeaders(headersJson);
  }

  /** The message a processor sees; with empty headers when they cannot be decoded. */
  public Message message(SourceRef source, Map<String, String> headers) {
    return new Message(id, type, payload, headers, source, Math.max(1, attempts), createdAt);
  }
}
