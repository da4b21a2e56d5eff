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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Writes and reads rows of the dead-letter table. */
public final class DeadLetterRows {
  private DeadLetterRows() {}

  /** Inserts {@code dl}, or reopens its record when it is not PENDING; within the caller's transaction. */
  public static RecordResult upsert(Connection c, Sql sql, DeadLetter dl, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.upsertDeadLetter)) {
      int i = 0;
      for (Object value : fields(dl)) {
        ps.setObject(++i, value instanceof Instant t ? Jdbc.ts(t) : value);
      }
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

  /**
   * {@link #upsert} for many dead letters in one statement; the results in the order given. Dead
   * letters sharing an id (which one statement cannot upsert twice) are written one at a time.
   */
  public static List<RecordResult> upsertAll(Connection c, Sql sql, List<DeadLetter> dls, Instant now)
      throws SQLException {
    int n = dls.size();
    List<RecordResult> out = new ArrayList<>(n);
    if (n == 1 || dls.stream().map(DeadLetter::id).distinct().count() < n) {
      for (DeadLetter dl : dls) {
        out.add(upsert(c, sql, dl, now));
      }
      return out;
    }
    Object[][] cols = new Object[ARRAY_TYPES.length][n];
    for (int i = 0; i < n; i++) {
      Object[] row = fields(dls.get(i));
      for (int k = 0; k < row.length; k++) {
        // times as text: the statement casts them to timestamptz
        cols[k][i] = row[k] instanceof Instant t ? t.toString() : row[k];
      }
    }
    Map<String, Integer> deaths = new HashMap<>(n * 2);
    try (PreparedStatement ps = c.prepareStatement(sql.upsertDeadLetters)) {
      ps.setObject(1, Jdbc.ts(now));
      ps.setObject(2, Jdbc.ts(now));
      for (int k = 0; k < cols.length; k++) {
        ps.setArray(3 + k, c.createArrayOf(ARRAY_TYPES[k], arrayOf(k, cols[k])));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          deaths.put(rs.getString(1), rs.getInt(2));
        }
      }
    }
    for (DeadLetter dl : dls) {
      Integer count = deaths.get(dl.id());
      out.add(count == null ? RecordResult.ALREADY_RECORDED : count == 1 ? RecordResult.CREATED : RecordResult.REOPENED);
    }
    return out;
  }

  /**
   * The 22 dead-letter fields in the column order of {@link Sql#upsertDeadLetter} and {@link
   * Sql#upsertDeadLetters}, times as Instants; the one list both upserts bind.
   */
  private static Object[] fields(DeadLetter dl) {
    Message m = dl.message();
    return new Object[] {dl.id(), m.id(), m.type(), m.payload(), Json.headers(m.headers()), m.source().backend(),
        m.source().destination(), m.attempt(), m.firstSeen(), dl.errorClass().name(), text(dl.errorType()),
        text(dl.errorMessage()), text(dl.stackTrace()), dl.attempts(), dl.maxAttempts(), dl.firstFailureAt(),
        dl.lastFailureAt(), dl.deadAt(), text(dl.workerId()), dl.reason().name(), text(dl.fingerprint()),
        Json.attempts(dl.history())};
  }

  /** The PostgreSQL array type of each of {@link #fields}, for {@link Sql#upsertDeadLetters}. */
  private static final String[] ARRAY_TYPES = {"text", "text", "text", "bytea", "text", "text", "text", "int4", "text",
      "text", "text", "text", "text", "int4", "int4", "text", "text", "text", "text", "text", "text", "text"};

  private static Object[] arrayOf(int column, Object[] values) {
    switch (ARRAY_TYPES[column]) {
      case "bytea": {
        byte[][] out = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
          out[i] = (byte[]) values[i];
        }
        return out;
      }
      case "int4": {
        Integer[] out = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
          out[i] = (Integer) values[i];
        }
        return out;
      }
      default: {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
          out[i] = (String) values[i];
        }
        return out;
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
