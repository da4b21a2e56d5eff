package dev.dlq.examples.outbox;

import dev.dlq.DeadLetterFilter;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.examples.support.Await;
import dev.dlq.prometheus.DlqMetrics;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
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
        relay.placeOrder("o-" + i, 100 + i, i % 10 == 0 ? "OrderTeleported" : "OrderCreated");
      }
      Await.until("18 events relayed", () -> count(jsm, stream) == 18);

      jsm.deleteStream(stream); // the broker goes down for this subject space
      for (int i = 21; i <= 50; i++) {
        relay.placeOrder("o-" + i, 100 + i, "OrderUpdated");
      }
      Await.until("the breaker opened", () -> relay.breaker() != Worker.CircuitState.CLOSED);
      Thread.sleep(outage.toMillis()); // the outage lasts this long
      jsm.addStream(config); // back, empty: the 18 earlier events went with the old stream
      Await.until("the 30 events of the outage relayed", () -> count(jsm, stream) == 30);

      long dead = relay.deadLetters().count(DeadLetterFilter.all());
      Map<String, Long> byType = relay.deadLetters().stats(DeadLetterFilter.all()).byType();
      return new Result(18 + count(jsm, stream), dead, byType, opened(metrics), scrape(metrics));
    } finally {
      try {
        jsm.deleteStream(stream);
      } catch (JetStreamApiException e) {
        // no stream: the run failed during the outage, and that failure is the one to report
      }
    }
  }

  /** Messages in the stream; -1 while it does not exist (the outage). */
  private static long count(JetStreamManagement jsm, String stream) {
    try {
      return jsm.getStreamInfo(stream).getStreamState().getMsgCount();
    } catch (JetStreamApiException e) {
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How often the breaker opened: {@code dlq_circuit_transitions_total{to="open"}}. */
  private static long opened(DlqMetrics metrics) {
    MetricSnapshots snapshots = metrics.registry().scrape(name -> name.equals("dlq_circuit_transitions"));
    return snapshots.stream().flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
        .filter(p -> "open".equals(p.getLabels().get("to"))).mapToLong(p -> (long) p.getValue()).sum();
  }

  private static String scrape(DlqMetrics metrics) throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(text, metrics.registry().scrape());
    return text.toString(StandardCharsets.UTF_8);
  }
}
