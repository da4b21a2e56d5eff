package dev.dlq.examples.outbox;

import dev.dlq.DeadLetterFilter;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.prometheus.DlqMetrics;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/** Orders, a broker outage in the middle, two events of an unknown type: what the seed's relay must survive. */
final class Scenario {
  /** What the run left behind. */
  record Result(long relayed, long deadLetters, Map<String, Long> deadByType, long breakerOpened, String metrics) {}

  private Scenario() {}

  static Result run(DataSource db, String schema, Connection nats, String prefix, Duration outage) throws Exception {
    String stream = prefix.toUpperCase().replace('.', '_');
    JetStreamManagement jsm = nats.jetStreamManagement();
    StreamConfiguration config = StreamConfiguration.builder().name(stream).subjects(prefix + ".>").build();
    jsm.addStream(config);
    DlqMetrics metrics = DlqMetrics.create();
    try (OutboxRelay relay = OutboxRelay.start(db, schema, nats.jetStream(), prefix, RetryPolicy.aggressive(), metrics)) {
      for (int i = 1; i <= 20; i++) {
        relay.placeOrder(db, schema, "o-" + i, 100 + i, i % 10 == 0 ? "OrderTeleported" : "OrderCreated");
      }
      await("18 events relayed", () -> count(jsm, stream) == 18);

      jsm.deleteStream(stream); // the broker goes down for this subject space
      for (int i = 21; i <= 50; i++) {
        relay.placeOrder(db, schema, "o-" + i, 100 + i, "OrderUpdated");
      }
      await("the breaker opened", () -> relay.breaker() != Worker.CircuitState.CLOSED);
      Thread.sleep(outage.toMillis());
      jsm.addStream(config); // back, empty: the 18 earlier events went with the old stream
      await("the 30 events of the outage relayed", () -> count(jsm, stream) == 30);

      long dead = relay.deadLetters().count(DeadLetterFilter.all());
      Map<String, Long> byType = relay.deadLetters().stats(DeadLetterFilter.all()).byType();
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      new PrometheusTextFormatWriter(false).write(text, metrics.registry().scrape());
      String scrape = text.toString(StandardCharsets.UTF_8);
      long opened = scrape.lines().filter(l -> l.startsWith("dlq_circuit_transitions_total") && l.contains("to=\"open\""))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
      return new Result(18 + count(jsm, stream), dead, byType, opened, scrape);
    } finally {
      try {
        jsm.deleteStream(stream);
      } catch (Exception e) {
        // already gone
      }
    }
  }

  private static long count(JetStreamManagement jsm, String stream) {
    try {
      return jsm.getStreamInfo(stream).getStreamState().getMsgCount();
    } catch (Exception e) {
      return -1;
    }
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
