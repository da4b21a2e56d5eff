package dev.dlq.postgres.internal;

import dev.dlq.DeadLetterStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;

/** Dead letters by status, read at most every 5 s, for the {@code dlq_dead_letters} gauge. */
public final class StatusCounts {
  private final Sampled<Map<DeadLetterStatus, Long>> counts;

  public StatusCounts(DataSource dataSource, Sql sql) {
    this.counts = new Sampled<>("dead letters by status in " + sql.schema, 5000, new EnumMap<>(DeadLetterStatus.class),
        () -> read(dataSource, sql));
  }

  /** The number of dead letters with {@code status}. */
  public double get(DeadLetterStatus status) {
    return counts.get().getOrDefault(status, 0L);
  }

  private static Map<DeadLetterStatus, Long> read(DataSource dataSource, Sql sql) {
    Map<DeadLetterStatus, Long> out = new EnumMap<>(DeadLetterStatus.class);
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.deadLettersByStatus);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(DeadLetterStatus.valueOf(rs.getString(1)), rs.getLong(2));
      }
      return out;
    } catch (SQLException e) {
      throw Jdbc.failure("could not count dead letters by status in schema " + sql.schema, e);
    }
  }
}
