package dev.dlq.examples.natsmonitor;

import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.ReplayJob;
import dev.dlq.ReplayRequest;
import dev.dlq.StoredDeadLetter;
import dev.dlq.nats.DlqAction;
import dev.dlq.nats.JetStreamDlq;
import dev.dlq.spi.Alert;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * One event of each kind the seed names (a good one, an invalid one, a flaky service, a service
 * down, a database error, a retired type), then the operators' retry workflows once things are fixed.
 */
final class Scenario {
  /**
   * What the run left behind.
   *
   * @param dlqSubjects DLQ messages by subject
   * @param stored the dead letters in PostgreSQL by message type, as the monitor stored them
   * @param actions what the monitor did, by action
   * @param alerts the alerts the operations webhook received
   * @param groupReplay the failure-group replay of the weather dead letters
   * @param processed every processed event, in order: {@code type/field after N attempt(s)}
   * @param after the dead letters in PostgreSQL by message type, after the workflows
   */
  record Result(Map<String, Long> dlqSubjects, Map<String, StoredDeadLetter> stored, Map<DlqAction, Long> actions,
      List<Alert> alerts, ReplayJob groupReplay, List<String> processed, Map<String, StoredDeadLetter> after) {}

  private Scenario() {}

  static Result run(JetStreamDlq nats, DataSource db, String schema, String stream) throws Exception {
    String prefix = nats.subjectPrefix();
    nats.connection().jetStreamManagement().addStream(StreamConfiguration.builder().name(stream)
        .subjects(prefix + ".analysis.*").storageType(StorageType.File).build());
    String secret = "ops-webhook-secret-" + stream; // at least 16 characters; from a vault in real life
    try (AlertReceiver ops = AlertReceiver.start(secret);
         AnalysisConsumer consumer = AnalysisConsumer.start(nats, stream);
         DeadLetterMonitor monitor = DeadLetterMonitor.start(nats, db, schema, ops.uri(), secret)) {
      publish(nats, "soil_moisture", "{\"field\":\"f-1\",\"moisture\":0.31}");
      publish(nats, "soil_moisture", "{\"field\":\"f-2\",\"moisture\":7.5}"); // invalid: dead at once
      publish(nats, "ndvi_ready", "{\"field\":\"f-3\"}");                     // times out twice, then works
      publish(nats, "weather_update", "{\"field\":\"f-4\"}");                 // its service is down
      publish(nats, "yield_forecast", "{\"field\":\"f-5\"}");                 // our database fails: critical
      publish(nats, "legacy_sync", "{\"field\":\"f-6\"}");                    // nobody handles it any more
      await("3 dead letters stored, 1 discarded, 1 alert", () -> monitor.deadLetters().count(DeadLetterFilter.all()) == 3
          && monitor.count(DlqAction.DISCARD) == 1 && ops.alerts.size() == 1);
      Map<String, StoredDeadLetter> stored = byType(monitor);
      Map<DlqAction, Long> actions = new TreeMap<>();
      for (DlqAction a : DlqAction.values()) {
        actions.put(a, monitor.count(a));
      }

      // the operators' retry workflows, once the causes are fixed
      consumer.weatherServiceUp.set(true);
      ReplayJob groupReplay = monitor.replayGroup(stored.get("weather_update").deadLetter().fingerprint(), "ops");
      consumer.databaseUp.set(true);
      monitor.deadLetters().replay(ReplayRequest.ofIds(List.of(stored.get("yield_forecast").id()), "ops"));
      monitor.deadLetters().resolve(List.of(stored.get("soil_moisture").id()), "ops", "sensor f-2 recalibrated");
      await("both replays processed", () -> consumer.processed.size() == 4);
      return new Result(dlqSubjects(nats), stored, actions, List.copyOf(ops.alerts), groupReplay,
          List.copyOf(consumer.processed), byType(monitor));
    }
  }

  private static void publish(JetStreamDlq nats, String type, String json) throws Exception {
    Headers headers = new Headers().add("tenant", "farm-7").add("source-service", "field-analysis");
    nats.connection().jetStream().publish(NatsMessage.builder().subject(nats.subjectPrefix() + ".analysis." + type)
        .headers(headers).data(json.getBytes(StandardCharsets.UTF_8)).build());
  }

  private static Map<String, StoredDeadLetter> byType(DeadLetterMonitor monitor) {
    Map<String, StoredDeadLetter> out = new LinkedHashMap<>();
    for (StoredDeadLetter d : monitor.deadLetters().find(DeadLetterQuery.of(DeadLetterFilter.all(), 100)).items()) {
      out.put(d.deadLetter().message().type(), d);
    }
    return out;
  }

  /** The DLQ stream's messages by subject: {@code <prefix>.dlq.<type>}. */
  private static Map<String, Long> dlqSubjects(JetStreamDlq nats) throws Exception {
    return new TreeMap<>(nats.connection().jetStreamManagement()
        .getStreamInfo(nats.dlqStream(), StreamInfoOptions.allSubjects()).getStreamState().getSubjectMap());
  }

  /** Deletes the work stream and what dlq made for it and for the prefix's DLQ (state bucket, audit, backstop). */
  static void deleteStreams(JetStreamDlq nats, String stream) throws Exception {
    JetStreamManagement jsm = nats.connection().jetStreamManagement();
    for (String name : jsm.getStreamNames()) {
      if (name.equals(stream) || name.startsWith("DLQ_MAXDELIVER_" + stream + "_") || name.equals(nats.dlqStream())
          || name.equals(nats.dlqStream() + "_AUDIT") || name.equals("KV_" + nats.dlqStream() + "_STATE")) {
        jsm.deleteStream(name);
      }
    }
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
