package dev.dlq.postgres.internal;

import dev.dlq.Attempt;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A task row as the claim statements return it: id, type, payload, headers, attempts,
 * max_attempts, created_at, history (then whatever the statement adds).
 */
public record TaskRow(String id, String type, byte[] payload, String headersJson, int attempts, int maxAttempts,
    Instant createdAt, String historyJson) {

  public static TaskRow read(ResultSet rs) throws SQLException {
    return new TaskRow(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4), rs.getInt(5), rs.getInt(6),
        Jdbc.instant(rs, 7), rs.getString(8));
  }

  /** The headers, or an {@link IllegalArgumentException} when the row holds something else. */
  public Map<String, String> headers() {
    return Json.parseHeaders(headersJson);
  }

  public List<Attempt> history() {
    return Json.parseAttempts(historyJson);
  }

  /** The message a processor sees; with empty headers when they cannot be decoded. */
  public Message message(SourceRef source, Map<String, String> headers) {
    return new Message(id, type, payload, headers, source, Math.max(1, attempts), createdAt);
  }
}
