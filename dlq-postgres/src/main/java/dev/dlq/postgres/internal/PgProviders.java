package dev.dlq.postgres.internal;

import dev.dlq.InvalidSettingException;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.PostgresSchema;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DeadLetterSinkProvider;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.DeadLetterStoreProvider;
import dev.dlq.spi.Settings;
import dev.dlq.spi.Source;
import dev.dlq.spi.SourceProvider;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The providers named "postgres". Settings: {@code dataSource} (a {@link DataSource} object) or
 * {@code url} (a JDBC URL) with optional {@code user} and {@code password}; {@code schema} (default
 * "dlq"); {@code migrate} (default false: check that the schema is current and throw
 * {@link dev.dlq.postgres.SchemaMissingException} when it is not; true: apply the migrations first). Sources also take
 * {@code queue} (required), {@code lease} (default 30s) and
 * {@code owner} (the lease owner, default generated).
 */
public final class PgProviders {
  public static final String NAME = "postgres";

  private PgProviders() {}

  static DataSource dataSource(Settings s) {
    Optional<DataSource> given = s.object("dataSource", DataSource.class);
    if (given.isPresent()) {
      return given.get();
    }
    String url = s.get("url").orElseThrow(() -> new InvalidSettingException("url", "provider '" + NAME
        + "' needs setting 'url' (a JDBC URL such as jdbc:postgresql://localhost:5432/app) or a DataSource under "
        + "'dataSource' (given: " + new java.util.TreeSet<>(s.keys()) + ")"));
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new InvalidSettingException("url", "setting 'url' of provider '" + NAME + "' must start with jdbc:postgresql: but was '" + url
          + "'");
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    s.get("user").ifPresent(ds::setUser);
    s.get("password").ifPresent(ds::setPassword);
    return ds;
  }

  static String schema(Settings s) {
    String schema = s.get("schema", PostgresSchema.DEFAULT_SCHEMA);
    try {
      return Names.schema(schema);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException("schema", "setting 'schema' of provider '" + NAME + "': " + e.getMessage(), e);
    }
  }

  /** Runs DDL only when asked ({@code migrate=true}); else checks the schema. */
  static void migrateOrVerify(Settings s, DataSource ds, String schema) {
    String m = s.get("migrate", "false").trim();
    if (!m.equalsIgnoreCase("true") && !m.equalsIgnoreCase("false")) {
      throw new InvalidSettingException("migrate", "setting 'migrate' of provider '" + NAME + "' must be true or false but was '" + m + "'");
    }
    if (m.equalsIgnoreCase("true")) {
      PostgresSchema.migrate(ds, schema);
    } else {
      PostgresSchema.verify(ds, schema);
    }
  }

  static PostgresDeadLetterStore store(Settings s) {
    DataSource ds = dataSource(s);
    String schema = schema(s);
    migrateOrVerify(s, ds, schema);
    return PostgresDeadLetterStore.builder(ds).schema(schema).build();
  }

  /** {@code provides dev.dlq.spi.SourceProvider}. */
  public static final class Sources implements SourceProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Source create(Settings s) {
      DataSource ds = dataSource(s);
      String schema = schema(s);
      String queue = s.require("queue");
      Duration lease = s.getDuration("lease", Duration.ofSeconds(30));
      if (lease.isZero() || lease.isNegative()) {
        throw new InvalidSettingException("lease", "setting 'lease' of provider '" + NAME + "' must be positive but was " + lease);
      }
      migrateOrVerify(s, ds, schema);
      PostgresQueue q = PostgresQueue.builder(ds, queue).schema(schema).lease(lease).build();
      return s.get("owner").map(q::source).orElseGet(q::source);
    }
  }

  /** {@code provides dev.dlq.spi.DeadLetterSinkProvider}. */
  public static final class Sinks implements DeadLetterSinkProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public DeadLetterSink create(Settings s) {
      return store(s);
    }
  }

  /** {@code provides dev.dlq.spi.DeadLetterStoreProvider}. */
  public static final class Stores implements DeadLetterStoreProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public DeadLetterStore create(Settings s) {
      return store(s);
    }

    /**
     * The settings a store reads.
     *
     * @return url, user, password, schema, migrate
     */
    @Override
    public java.util.Set<String> settingKeys() {
      return java.util.Set.of("url", "user", "password", "schema", "migrate");
    }
  }
}
