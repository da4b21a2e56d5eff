package dev.dlq.postgres.internal;

import dev.dlq.postgres.SchemaMissingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned scripts under {@link #LOCATION} (Flyway's naming, so Flyway and Liquibase
 * can run them too) to one schema, each once, in one transaction under an advisory lock. Every
 * script records itself in {@code dlq_schema_history} (V1 creates it), so a schema migrated by
 * another tool reads as current here; this class adds the checksum of what it applied, and a script
 * changed after that is an error.
 */
public final class Migrator {
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);
  /** In order; the resources live in {@link #LOCATION}. */
  public static final List<String> SCRIPTS = List.of("V1__tasks.sql", "V2__dead_letters.sql", "V3__audit_log.sql",
      "V4__task_attempts.sql",
      "V5__replay_jobs.sql",
      "V6__notifications.sql",
      "V7__payload_search.sql");
  /**
   * Outside Flyway's default {@code db/migration}, and not a legal package name, so the resources
   * stay readable by other modules on the module path.
   */
  public static final String LOCATION = dev.dlq.postgres.PostgresSchema.LOCATION;

  private Migrator() {}

  /** Applies what is missing; returns the names applied now. */
  public static List<String> migrate(DataSource dataSource, String schema) {
    String q = Names.quoted(schema);
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        List<String> applied = migrate(c, schema, q);
        c.commit();
        if (!applied.isEmpty()) {
          log.info("schema {}: applied {}", schema, applied);
        }
        return applied;
      } catch (SQLException | RuntimeException e) {
        Jdbc.rollbackQuietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw Jdbc.failure("could not migrate dlq schema " + schema, e);
    }
  }

  /**
   * Reads the schema's history and throws unless every script is recorded there.
   *
   * @throws SchemaMissingException naming the scripts not applied
   */
  public static void verify(DataSource dataSource, String schema) {
    String q = Names.quoted(schema);
    try (Connection c = dataSource.getConnection()) {
      Map<Integer, Long> done = history(c, q);
      List<String> missing = new ArrayList<>();
      for (String script : SCRIPTS) {
        if (!done.containsKey(version(script))) {
          missing.add(script);
        }
      }
      if (!missing.isEmpty()) {
        throw new SchemaMissingException(schema, missing);
      }
    } catch (SQLException e) {
      throw Jdbc.failure("could not read dlq schema " + schema, e);
    }
  }

  private static List<String> migrate(Connection c, String schema, String q) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('dev.dlq.migrate'), hashtext(?))")) {
      ps.setString(1, schema);
      ps.execute();
    }
    try (Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + q);
    }
    Map<Integer, Long> done = history(c, q);
    List<String> applied = new ArrayList<>();
    for (String script : SCRIPTS) {
      int version = version(script);
      String text = read(script);
      long checksum = checksum(text);
      if (done.containsKey(version)) {
        Long had = done.get(version);
        if (had != null && had != checksum) {
          throw new IllegalStateException("dlq migration " + script + " in schema " + schema
              + " was changed after it was applied (checksum " + had + ", now " + checksum + "); add a new version instead");
        }
        continue; // a null checksum: applied by Flyway, Liquibase or psql, which keep their own
      }
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL search_path TO " + q);
        st.execute(text);
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE " + q + ".dlq_schema_history SET checksum = ? WHERE version = ? AND checksum IS NULL")) {
        ps.setLong(1, checksum);
        ps.setInt(2, version);
        if (ps.executeUpdate() != 1) {
          throw new IllegalStateException("dlq migration " + script + " did not record itself in dlq_schema_history");
        }
      }
      applied.add(script);
    }
    try (Statement st = c.createStatement()) {
      st.execute("RESET search_path");
    }
    return applied;
  }

  /** Version to checksum (null when another tool applied it); empty when there is no history. */
  private static Map<Integer, Long> history(Connection c, String q) throws SQLException {
    Map<Integer, Long> done = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, q + ".dlq_schema_history");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return done;
        }
      }
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version, checksum FROM " + q + ".dlq_schema_history")) {
      while (rs.next()) {
        int version = rs.getInt(1);
        long checksum = rs.getLong(2);
        done.put(version, rs.wasNull() ? null : checksum);
      }
    }
    return done;
  }

  static int version(String script) {
    return Integer.parseInt(script.substring(1, script.indexOf("__")));
  }

  static String read(String script) {
    String path = "/" + LOCATION + "/" + script;
    try (InputStream in = Migrator.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("migration " + path + " is missing from the dlq-postgres jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("could not read migration " + path, e);
    }
  }

  static long checksum(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
