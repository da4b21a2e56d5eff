package dev.dlq.examples.deadevents;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Runs seed 003 end to end against PostgreSQL on 127.0.0.1:5432 (or the JDBC URL given as the first
 * argument, user included), else an embedded PostgreSQL, and prints what each step saw.
 */
public final class Main {
  private static final String LOCAL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

  private Main() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 && !args[0].isBlank() ? args[0] : localOrEmbedded();
    PGSimpleDataSource db = new PGSimpleDataSource();
    db.setURL(url);
    String schema = "example_outbox_dead_events";
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"); // the previous run's data
    }
    Scenario.Result r = Scenario.run(db, url, schema, Duration.ofSeconds(2)); // in production: Duration.ofDays(30)

    System.out.println("dead events listed / counted: code " + r.code().listed().size() + " / " + r.code().counted()
        + ", HTTP " + r.http().listed().size() + " / " + r.http().counted()
        + ", CLI " + r.cli().listed().size() + " / " + r.cli().counted());
    System.out.println("counts by the seed's filters: " + r.counts());
    System.out.println("exported (JSON lines, CSV lines with header): code " + r.code().jsonExport().size() + ", "
        + r.code().csvExport().size() + "; HTTP " + r.http().jsonExport().size() + ", " + r.http().csvExport().size()
        + "; CLI " + r.cli().jsonExport().size() + ", " + r.cli().csvExport().size());
    System.out.println("CSV export from code:");
    r.code().csvExport().forEach(l -> System.out.println("  " + l));
    System.out.println("retried, by event: " + r.retriedBy());
    r.retryAnswers().forEach((how, answer) -> System.out.println("  " + how + " answered: " + answer.strip()));
    System.out.println("delivered after the retries: " + r.delivered().containsAll(r.retriedBy().keySet()));
    r.alerts().forEach(a -> System.out.println("alert to ops: " + a.severity() + " " + a.title() + " " + a.counts()));
    System.out.println("dead since the second wave: " + r.deadSince() + "; retention deleted " + r.cleanedUp()
        + " handled dead events; left: " + r.left().size());
    System.out.println("metrics:");
    r.metricsAtEnd().lines().filter(l -> l.startsWith("dlq_dead_lettered_total") || l.startsWith("dlq_dead_letters{")
        || l.startsWith("outbox_dead_events") || l.startsWith("dlq_replays_total") || l.startsWith("dlq_attempts_before_dead_count"))
        .forEach(l -> System.out.println("  " + l));
    if (url.equals(LOCAL) || args.length > 0) { // an embedded server stops with this JVM
      System.out.println("try the CLI on what is left: ./dlq dead-letters list --url '" + url + "' --set schema=" + schema);
    }
  }

  private static String localOrEmbedded() throws IOException {
    PGSimpleDataSource local = new PGSimpleDataSource();
    local.setURL(LOCAL);
    try (Connection c = local.getConnection()) {
      return LOCAL;
    } catch (SQLException e) {
      System.out.println("no PostgreSQL on 127.0.0.1:5432; starting an embedded one");
      return EmbeddedPostgres.builder().start().getJdbcUrl("postgres", "postgres");
    }
  }
}
