package dev.dlq.postgres.internal;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.SourceRef;
import dev.dlq.StoredDeadLetter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Writes and reads rows of the dead-letter table. */
public final class DeadLetterRows {
  private DeadLetterRows() {}

  /** Inserts {@code dl}, or reopens its record when it is not PENDING; within the caller's transaction. */
  public static RecordResult upsert(Connection c, Sql sql, DeadLetter dl, Instant now) throws SQLException {
    Message m = dl.message();
    try (PreparedStatement ps = c.prepareStatement(sql.upsertDeadLetter)) {
      int i = 0;
      ps.setString(++i, dl.id());
      ps.setString(++i, m.id());
      ps.setString(++i, m.type());
      ps.setBytes(++i, m.payload());
      ps.setString(++i, Json.headers(m.headers()));
      ps.setString(++i, m.source().backend());
      ps.setString(++i, m.source().destination());
      ps.setInt(++i, m.attempt());
      ps.setObject(++i, Jdbc.ts(m.firstSeen()));
      ps.setString(++i, dl.errorClass().name());
      ps.setString(++i, text(dl.errorType()));
      ps.setString(++i, text(dl.errorMessage()));
      ps.setString(++i, text(dl.stackTrace()));
      ps.setInt(++i, dl.attempts());
      ps.setInt(++i, dl.maxAttempts());
      ps.setObject(++i, Jdbc.ts(dl.firstFailureAt()));
      ps.setObject(++i, Jdbc.ts(dl.lastFailureAt()));
      ps.setObject(++i, Jdbc.ts(dl.deadAt()));
      ps.setString(++i, text(dl.workerId()));
      ps.setString(++i, dl.reason().name());
      ps.setString(++i, text(dl.fingerprint()));
      ps.setString(++i, Json.attempts(dl.history()));
      ps.setObject(++i, Jdbc.ts(now));
      ps.setObject(++i, Jdbc.ts(now));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return RecordResult.ALREADY_RECORDED;
        }
        return rs.getInt(1) == 1 ? RecordResult.CREATED : RecordResult.REOPENED;
      }
    }
  }

  /** PostgreSQL text cannot hold NUL; everything else is kept. */
  static String text(String s) {
    return s.indexOf('\0') < 0 ? s : s.replace('\0', '\ufffd');
  }

  /** The row under {@code rs}'s cursor, selected with {@link Sql#deadLetterColumns}' order. */
  public static StoredDeadLetter read(ResultSet rs) throws SQLException {
    SourceRef source = SourceRef.of(rs.getString("source_backend"), rs.getString("source_destination"));
    Message m = new Message(rs.getString("message_id"), rs.getString("type"), rs.getBytes("payload"),
        Json.parseHeaders(rs.getString("headers")), source, rs.getInt("attempt"), Jdbc.instant(rs, "first_seen"));
    DeadLetter dl = new DeadLetter(rs.getString("id"), m, ErrorClass.valueOf(rs.getString("error_class")),
        rs.getString("error_type"), rs.getString("error_message"), rs.getString("stack_trace"), rs.getInt("attempts"),
        rs.getInt("max_attempts"), Jdbc.instant(rs, "first_failure_at"), Jdbc.instant(rs, "last_failure_at"),
        Jdbc.instant(rs, "dead_at"), rs.getString("worker_id"), DeadLetterReason.valueOf(rs.getString("reason")),
        rs.getString("fingerprint"), Json.parseAttempts(rs.getString("history")));
    return new StoredDeadLetter(dl, DeadLetterStatus.valueOf(rs.getString("status")), rs.getInt("death_count"),
        rs.getInt("replay_count"), Optional.ofNullable(rs.getString("last_replay_id")),
        Optional.ofNullable(rs.getString("last_replay_by")), Jdbc.instant(rs, "updated_at"));
  }
}
