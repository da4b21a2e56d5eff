package dev.dlq.examples.outbox;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Runs seed 004 end to end against NATS with JetStream on 127.0.0.1:4222 (or the URL given as the
 * second argument) and PostgreSQL on 127.0.0.1:5432 (or the JDBC URL given as the first argument),
 * else an embedded PostgreSQL.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    DataSource db = args.length > 0 && !args[0].isBlank() ? dataSource(args[0]) : localOrEmbedded();
    String schema = "example_outbox_relay";
    try (java.sql.Connection c = db.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"); // the previous run's data
    }
    try (Connection nats = Nats.connect(args.length > 1 ? args[1] : "nats://127.0.0.1:4222")) {
      Scenario.Result r = Scenario.run(db, schema, nats, "example.orders", Duration.ofSeconds(5));
      System.out.println("events relayed to the broker: " + r.relayed());
      System.out.println("dead letters by event type: " + r.deadByType());
      System.out.println("times the breaker opened during the 5 s outage: " + r.breakerOpened());
      System.out.println("metrics:");
      r.metrics().lines().filter(l -> !l.startsWith("#") && !l.contains("_bucket")).forEach(l -> System.out.println("  " + l));
    }
  }

  private static DataSource dataSource(String url) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    if (ds.getUser() == null) {
      ds.setUser("postgres");
    }
    return ds;
  }

  private static DataSource localOrEmbedded() throws IOException {
    DataSource local = dataSource("jdbc:postgresql://127.0.0.1:5432/postgres");
    try (java.sql.Connection c = local.getConnection()) {
      return local;
    } catch (SQLException e) {
      System.out.println("no PostgreSQL on 127.0.0.1:5432; starting an embedded one");
      return EmbeddedPostgres.builder().start().getPostgresDatabase();
    }
  }
}
