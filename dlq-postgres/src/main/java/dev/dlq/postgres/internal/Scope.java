package dev.dlq.postgres.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The transaction scope of a schema, by value: the server (address, port, start time), the
 * database and the schema. Two data sources that reach the same database, however wrapped, give the
 * same scope; so a dead-letter table qualifies for the task's own transaction by what it is, never
 * by object identity.
 */
public final class Scope {
  private static final String QUERY = "SELECT coalesce(host(inet_server_addr()), 'local'),"
      + " coalesce(inet_server_port(), 0), current_database(), pg_postmaster_start_time()::text";

  private Scope() {}

  /** {@code postgres:<address>:<port>@<start time>/<database>/<schema>}. */
  public static String of(DataSource dataSource, String schema) {
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(QUERY)) {
      rs.next();
      return "postgres:" + rs.getString(1) + ":" + rs.getInt(2) + "@" + rs.getString(4) + "/" + rs.getString(3) + "/"
          + schema;
    } catch (SQLException e) {
      throw Jdbc.failure("could not identify the database of schema " + schema, e);
    }
  }
}
