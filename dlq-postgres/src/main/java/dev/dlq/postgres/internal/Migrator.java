package dev.dlq.postgres.internal;

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
 * Applies the versioned scripts under {@code db/migration/dlq} (Flyway's naming, so Flyway can run
 * them too) to one schema, each once, in one transaction under an advisory lock, and records them
 * in {@code dlq_schema_history}. A script changed after it was applied is an error.
 */
public final class Migrator {
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);
  /** In order; the resources live in {@link #LOCATION}. */
  public static final List<String> SCRIPTS = List.of("V1__tasks.sql", "V2__dead_letters.sql", "V3__audit_log.sql");
  public static final String LOCATION = "db/migration/dlq";

  private Migrator() {}

  /** Applies what is missing; returns the names applied now. */
  public static List<String> migrate(DataSource dataSource, String schema) {
    Names.schema(schema);
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

  private static List<String> migrate(Connection c, String schema, String q) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('dev.dlq.migrate'), hashtext(?))")) {
      ps.setString(1, schema);
      ps.execute();
    }
    try (Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + q);
      st.execute("CREATE TABLE IF NOT EXISTS " + q + ".dlq_schema_history (version integer PRIMARY KEY,"
          + " script text NOT NULL, checksum bigint NOT NULL, installed_at timestamptz NOT NULL DEFAULT now())");
    }
    Map<Integer, Long> done = new HashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version, checksum FROM " + q + ".dlq_schema_history")) {
      while (rs.next()) {
        done.put(rs.getInt(1), rs.getLong(2));
      }
    }
    List<String> applied = new ArrayList<>();
    for (String script : SCRIPTS) {
      int version = version(script);
      String text = read(script);
      long checksum = checksum(text);
      Long had = done.get(version);
      if (had != null) {
        if (had != checksum) {
          throw new IllegalStateException("dlq migration " + script + " in schema " + schema
              + " was changed after it was applied (checksum " + had + ", now " + checksum + "); add a new version instead");
        }
        continue;
      }
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL search_path TO " + q);
        st.execute(text);
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO " + q + ".dlq_schema_history (version, script, checksum) VALUES (?, ?, ?)")) {
        ps.setInt(1, version);
        ps.setString(2, script);
        ps.setLong(3, checksum);
        ps.executeUpdate();
      }
      applied.add(script);
    }
    try (Statement st = c.createStatement()) {
      st.execute("RESET search_path");
    }
    return applied;
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
