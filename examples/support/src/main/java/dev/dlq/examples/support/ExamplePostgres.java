package dev.dlq.examples.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL an example runs on: the JDBC URL given as the example's first argument, else the
 * server on 127.0.0.1:5432, else an embedded one that stops with the JVM.
 *
 * @param jdbcUrl the URL, user included ({@code ...?user=postgres}), for tools such as the {@code dlq} CLI
 * @param dataSource connections to it
 * @param embedded whether it is the embedded server (gone when the example ends)
 */
public record ExamplePostgres(String jdbcUrl, DataSource dataSource, boolean embedded) {
  private static final String LOCAL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

  /** Finds the database as above and drops {@code schema}, the previous run's data. */
  public static ExamplePostgres forExample(String[] args, String schema) throws IOException, SQLException {
    ExamplePostgres db = args.length > 0 && !args[0].isBlank() ? of(args[0], false) : localOrEmbedded();
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    return db;
  }

  private static ExamplePostgres localOrEmbedded() throws IOException {
    ExamplePostgres local = of(LOCAL, false);
    try (Connection c = local.dataSource().getConnection()) {
      return local;
    } catch (SQLException e) {
      System.out.println("no PostgreSQL on 127.0.0.1:5432; starting an embedded one");
      return of(EmbeddedPostgres.builder().start().getJdbcUrl("postgres", "postgres"), true);
    }
  }

  private static ExamplePostgres of(String url, boolean embedded) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    if (ds.getUser() == null) {
      url += (url.contains("?") ? "&" : "?") + "user=postgres";
      ds.setURL(url);
    }
    return new ExamplePostgres(url, ds, embedded);
  }
}
