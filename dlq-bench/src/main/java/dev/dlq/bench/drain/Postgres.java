package dev.dlq.bench.drain;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The PostgreSQL the drain runs on: {@code --postgres-url}, else {@code DLQ_BENCH_POSTGRES_URL},
 * else 127.0.0.1:5432 as user postgres (trust auth) if it answers, else an embedded PostgreSQL
 * (also when the URL given is {@code embedded}).
 * Every contender works in the database {@value #DATABASE}, created when missing, each in its own
 * tables, dropped and recreated every round.
 */
public final class Postgres implements AutoCloseable {
  public static final String DATABASE = "dlq_bench";
  private static final String LOCAL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

  private final String url;
  private final String where;
  private final EmbeddedPostgres embedded;
  private final String version;

  private Postgres(String url, String where, EmbeddedPostgres embedded) throws SQLException {
    this.url = url;
    this.where = where;
    this.embedded = embedded;
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show server_version")) {
      rs.next();
      this.version = rs.getString(1);
    }
  }

  /** Finds or starts a server; {@code explicitUrl} may be null, or "embedded" to skip looking for one. */
  public static Postgres open(String explicitUrl) throws Exception {
    String given = explicitUrl != null ? explicitUrl : System.getenv("DLQ_BENCH_POSTGRES_URL");
    boolean embeddedOnly = "embedded".equals(given);
    if (given != null && !given.isBlank() && !embeddedOnly) {
      return new Postgres(inBenchDatabase(given), "given: " + redact(given), null);
    }
    if (!embeddedOnly && answers(LOCAL)) {
      return new Postgres(inBenchDatabase(LOCAL), "local 127.0.0.1:5432", null);
    }
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setServerConfig("max_connections", "200")
        .setServerConfig("autovacuum", "off")
        .start();
    String base = pg.getJdbcUrl("postgres", "postgres");
    return new Postgres(inBenchDatabase(base), "embedded (io.zonky.test) on port " + pg.getPort(), pg);
  }

  private static boolean answers(String url) {
    Properties p = new Properties();
    p.setProperty("connectTimeout", "2");
    try (Connection c = DriverManager.getConnection(url, p)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Creates {@value #DATABASE} if missing and returns the URL pointing at it. */
  private static String inBenchDatabase(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
        if (!rs.next()) {
          s.execute("create database " + DATABASE);
        }
      }
    }
    return withDatabase(url, DATABASE);
  }

  static String withDatabase(String url, String database) {
    int q = url.indexOf('?');
    String head = q < 0 ? url : url.substring(0, q);
    String tail = q < 0 ? "" : url.substring(q);
    int slash = head.indexOf('/', "jdbc:postgresql://".length());
    String hostPart = slash < 0 ? head : head.substring(0, slash);
    return hostPart + "/" + database + tail;
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)password=[^&]*", "password=***");
  }

  /** The JDBC URL of the bench database. */
  public String url() {
    return url;
  }

  /** A pool of at most {@code size} connections to the bench database. */
  public HikariDataSource pool(String name, int size) {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(url);
    cfg.setPoolName(name);
    cfg.setMaximumPoolSize(size);
    cfg.setMinimumIdle(size);
    cfg.setConnectionTimeout(30_000);
    return new HikariDataSource(cfg);
  }

  /** "PostgreSQL 15.2 (local 127.0.0.1:5432)". */
  public String describe() {
    return "PostgreSQL " + version + " (" + where + ", database " + DATABASE + ")";
  }

  /** Runs {@code sql} statements, one per array element, in autocommit. */
  public static void exec(DataSource ds, String... sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  /** A single long from {@code sql}. */
  public static long queryLong(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** After a fill: fresh planner statistics and a checkpoint, so that no round pays for the last one's writes. */
  public static void settle(DataSource ds, String... tables) throws SQLException {
    for (String t : tables) {
      exec(ds, "analyze " + t);
    }
    try {
      exec(ds, "checkpoint");
    } catch (SQLException e) {
      // not a superuser: the round may pay for a checkpoint; nothing else to do
    }
  }

  @Override
  public void close() throws Exception {
    if (embedded != null) {
      embedded.close();
    }
  }
}
