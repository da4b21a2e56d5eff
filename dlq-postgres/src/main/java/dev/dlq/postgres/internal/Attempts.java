package dev.dlq.postgres.internal;

import dev.dlq.Attempt;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The failed attempts of tasks ({@code task_attempts}, insert-only): read back when a dead letter is
 * built or a task is claimed by id, and the batched DEAD mark that inserts each task's last attempt.
 */
final class Attempts {
  private Attempts() {}

  /** A task to mark DEAD under the claim ({@code attempts}, {@code owner}) that holds it. */
  record Death(String id, int attempts, String owner, Attempt last) {}

  /** Task {@code id}'s failed attempts, oldest first. */
  static List<Attempt> load(Connection c, Sql sql, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.selectAttempts)) {
      ps.setString(1, id);
      List<Attempt> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(Json.parseAttempt(rs.getString(1)));
        }
      }
      return Collections.unmodifiableList(out);
    }
  }

  /** The same on a connection of its own. */
  static List<Attempt> load(DataSource dataSource, Sql sql, String id) {
    try (Connection c = dataSource.getConnection()) {
      return load(c, sql, id);
    } catch (SQLException e) {
      throw Jdbc.failure("could not read the attempts of task " + id, e);
    }
  }

  /** Marks {@code deaths} DEAD in one statement, each last attempt inserted; returns the ids that were held. */
  static Set<String> markDead(Connection c, Sql sql, List<Death> deaths, Instant now) throws SQLException {
    int n = deaths.size();
    String[] ids = new String[n];
    Integer[] attempts = new Integer[n];
    String[] errors = new String[n];
    String[] classes = new String[n];
    String[] details = new String[n];
    String[] owners = new String[n];
    for (int i = 0; i < n; i++) {
      Death d = deaths.get(i);
      ids[i] = d.id();
      attempts[i] = d.attempts();
      errors[i] = DeadLetterRows.text(Settler.errorText(d.last()));
      classes[i] = d.last().errorClass().name();
      details[i] = Json.attempt(d.last());
      owners[i] = d.owner();
    }
    try (PreparedStatement ps = c.prepareStatement(sql.markDead)) {
      ps.setObject(1, Jdbc.ts(now));
      ps.setObject(2, Jdbc.ts(now));
      ps.setArray(3, c.createArrayOf("text", ids));
      ps.setArray(4, c.createArrayOf("int4", attempts));
      ps.setArray(5, c.createArrayOf("text", errors));
      ps.setArray(6, c.createArrayOf("text", classes));
      ps.setArray(7, c.createArrayOf("text", details));
      ps.setArray(8, c.createArrayOf("text", owners));
      Set<String> held = new HashSet<>(n * 2);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          held.add(rs.getString(1));
        }
      }
      return held;
    }
  }
}
