package dev.dlq.examples.routing;

import dev.dlq.examples.support.ExamplePostgres;
import dev.dlq.spi.Alert;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Runs seed 002 end to end: GreenMail in this JVM for SMTP; PostgreSQL on 127.0.0.1:5432 (or the JDBC
 * URL given as the first argument), else an embedded one. Prints what each route received and what
 * the stats and recent-failures endpoints answered.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    String schema = "example_error_class_routing";
    DataSource db = ExamplePostgres.forExample(args, schema).dataSource();
    Scenario.Result r = Scenario.run(db, schema, Duration.ofSeconds(5));
    System.out.println("ops webhook (SYSTEM_ERROR, RECOVERABLE, UNKNOWN):");
    for (Alert a : r.opsAlerts()) {
      System.out.println("  [" + a.severity() + "] " + a.rule() + ": " + a.title());
    }
    System.out.println("mails to owners (USER_ERROR):");
    r.mails().forEach(m -> System.out.println("  " + m));
    System.out.println("notifications table (USER_ERROR):");
    r.notifications().forEach(n -> System.out.println("  " + n.recipient() + ": " + n.title()));
    System.out.println("recovery queue while the renderer was down: " + r.recoveryQueueDuringOutage());
    System.out.println("recovery queue after the auto-replay:       " + r.recoveryQueueAfter());
    System.out.println("charts rendered: " + r.rendered());
    System.out.println("GET /api/dead-letters/stats?since=24h\n  " + r.stats());
    System.out.println("GET /api/dead-letters?limit=10 (newest first; the JSON carries ids, fingerprints, times):");
    try (JsonReader failures = Json.createReader(new StringReader(r.failures()))) {
      for (JsonObject f : failures.readObject().getJsonArray("items").getValuesAs(JsonObject.class)) {
        System.out.printf("  %-12s %-9s %d attempt(s)  %s%n", f.getString("errorClass"), f.getString("status"),
            f.getInt("attempts"), f.getString("errorMessage"));
      }
    }
    System.out.println("GET /api/audit?limit=10\n  " + r.audit());
    System.out.println("GET /metrics (attempts before death):");
    r.metrics().lines().filter(l -> l.startsWith("dlq_attempts_before_dead_sum") || l.startsWith("dlq_attempts_before_dead_count"))
        .forEach(l -> System.out.println("  " + l));
    System.exit(0); // GreenMail's and the HTTP client's threads would keep the JVM alive a while
  }
}
