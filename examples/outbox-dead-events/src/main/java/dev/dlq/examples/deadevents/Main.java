package dev.dlq.examples.deadevents;

import dev.dlq.examples.support.ExamplePostgres;
import java.time.Duration;

/**
 * Runs seed 003 end to end against PostgreSQL on 127.0.0.1:5432 (or the JDBC URL given as the first
 * argument, user included), else an embedded PostgreSQL, and prints what each step saw.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    String schema = "example_outbox_dead_events";
    ExamplePostgres db = ExamplePostgres.forExample(args, schema);
    Scenario.Result r = Scenario.run(db.dataSource(), db.jdbcUrl(), schema, Duration.ofSeconds(2)); // in production: 30 days

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
    if (!db.embedded()) { // an embedded server stops with this JVM
      System.out.println("try the CLI on what is left: ./dlq dead-letters list --url '" + db.jdbcUrl() + "' --set schema=" + schema);
    }
  }
}
