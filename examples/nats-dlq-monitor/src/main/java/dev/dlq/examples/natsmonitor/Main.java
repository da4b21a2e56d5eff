package dev.dlq.examples.natsmonitor;

import dev.dlq.DeadLetter;
import dev.dlq.nats.JetStreamDlq;
import dev.dlq.alerts.AlertText;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Runs seed 001 end to end against NATS with JetStream on 127.0.0.1:4222 (or the URL given as the
 * second argument) and PostgreSQL on 127.0.0.1:5432 (or the JDBC URL given as the first argument),
 * else an embedded PostgreSQL. The streams and the schema stay for inspection until the next run.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    DataSource db = args.length > 0 && !args[0].isBlank() ? dataSource(args[0]) : localOrEmbedded();
    String schema = "example_nats_dlq_monitor";
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"); // the previous run's data
    }
    String servers = args.length > 1 ? args[1] : "nats://127.0.0.1:4222";
    try (JetStreamDlq nats = JetStreamDlq.builder("sahool").servers(servers).build()) {
      Scenario.deleteStreams(nats, "SAHOOL_EVENTS"); // the previous run's
      Scenario.Result r = Scenario.run(nats, db, schema, "SAHOOL_EVENTS");

      System.out.println("messages on the DLQ subjects: " + r.dlqSubjects());
      System.out.println("what the DLQ monitor did: " + r.actions());
      System.out.println("dead letters it stored in PostgreSQL (" + schema + ".dead_letters):");
      r.stored().forEach((type, d) -> {
        DeadLetter dl = d.deadLetter();
        System.out.printf("  %-15s %s after %d attempt(s), %s %s: %s (from %s, headers %s)%n", type, dl.reason(),
            dl.attempts(), dl.errorClass(), dl.errorType(), dl.errorMessage(), dl.message().source().destination(),
            dl.message().headers());
      });
      r.alerts().forEach(a -> System.out.println("alert received by the ops webhook: " + AlertText.line(a)));
      System.out.println("failure-group replay of weather_update: " + r.groupReplay().state() + ", sent "
          + r.groupReplay().sent());
      System.out.println("processed, in order: " + r.processed());
      System.out.println("after the retry workflows:");
      r.after().forEach((type, d) -> System.out.printf("  %-15s %s%n", type, d.status()));
      System.out.println("look around: nats stream view SAHOOL_DLQ; psql -c 'SELECT type, reason, attempts, status"
          + " FROM " + schema + ".dead_letters'");
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
    try (Connection c = local.getConnection()) {
      return local;
    } catch (SQLException e) {
      System.out.println("no PostgreSQL on 127.0.0.1:5432; starting an embedded one");
      return EmbeddedPostgres.builder().start().getPostgresDatabase();
    }
  }
}
