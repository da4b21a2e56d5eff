package dev.dlq.examples.outbox;

import dev.dlq.examples.support.ExamplePostgres;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Runs seed 004 end to end against NATS with JetStream on 127.0.0.1:4222 (or the URL given as the
 * second argument) and PostgreSQL on 127.0.0.1:5432 (or the JDBC URL given as the first argument),
 * else an embedded PostgreSQL.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    String schema = "example_outbox_relay";
    DataSource db = ExamplePostgres.forExample(args, schema).dataSource();
    try (Connection nats = Nats.connect(args.length > 1 ? args[1] : "nats://127.0.0.1:4222")) {
      Scenario.Result r = Scenario.run(db, schema, nats, "example.orders", Duration.ofSeconds(5));
      System.out.println("events relayed to the broker: " + r.relayed());
      System.out.println("dead letters by event type: " + r.deadByType());
      System.out.println("times the breaker opened during the 5 s outage: " + r.breakerOpened());
      System.out.println("metrics:");
      r.metrics().lines().filter(l -> !l.startsWith("#") && !l.contains("_bucket")).forEach(l -> System.out.println("  " + l));
    }
  }
}
