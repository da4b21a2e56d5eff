package dev.dlq.postgres.internal;

import dev.dlq.DlqException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;

/** Small JDBC helpers: times as OffsetDateTime, vendor errors wrapped in {@link DlqException}. */
public final class Jdbc {
  private Jdbc() {}

  /** {@code instant} cut to PostgreSQL's microseconds (cut, not rounded: a stored time is never later). */
  public static OffsetDateTime ts(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  public static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /**
   * The exception for a failed statement: a {@link dev.dlq.StoreUnavailableException} when the
   * server could not be reached or went away (SQLState classes 08, 53, 57P), else a DlqException.
   */
  public static DlqException failure(String what, SQLException e) {
    String message = what + ": " + e.getMessage() + " (SQLState " + e.getSQLState() + ")";
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")) {
      return new dev.dlq.StoreUnavailableException("postgres", message, e);
    }
    return new DlqException(message, e);
  }

  /** A connection, or a {@link DlqException} naming what it was for. */
  public static Connection connect(DataSource dataSource, String what) {
    try {
      return dataSource.getConnection();
    } catch (SQLException e) {
      throw failure("could not connect to PostgreSQL to " + what, e);
    }
  }

  /** Rolls back, keeping {@code cause} as the failure. */
  public static void rollbackQuietly(Connection c, Exception cause) {
    try {
      if (c != null && !c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** Sets {@code ps}'s parameters in order. */
  public static PreparedStatement bind(PreparedStatement ps, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v instanceof Instant in) {
        ps.setObject(i + 1, ts(in));
      } else {
        ps.setObject(i + 1, v);
      }
    }
    return ps;
  }
}
