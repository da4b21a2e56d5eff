package dev.dlq.examples.deadevents;

import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.InvalidMessageException;
import dev.dlq.Outcome;
import dev.dlq.Page;
import dev.dlq.Processor;
import dev.dlq.StoredDeadLetter;
import dev.dlq.examples.deadevents.OutboxDeadEvents.Event;
import dev.dlq.examples.support.Await;
import dev.dlq.spi.Alert;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Two event types whose handler has a bug become dead after 5 attempts, plus one malformed event;
 * an operator looks at them from code, the CLI and HTTP, fixes the bug, retries them every way the
 * seed names, and retention cleans up what is handled.
 */
final class Scenario {
  /** What one channel (code, HTTP, CLI) listed, counted and exported, as it printed it. */
  record Seen(Set<String> listed, long counted, List<String> jsonExport, List<String> csvExport) {}

  /** What the run left behind. */
  record Result(Map<String, Long> counts, Seen code, Seen http, Seen cli,
      Map<String, String> retriedBy, Map<String, String> retryAnswers, Set<String> delivered,
      long deadSince, long cleanedUp, Set<String> left, List<Alert> alerts, String metricsAtPeak, String metricsAtEnd) {}

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Scenario() {}

  /**
   * @param jdbcUrl the database for the CLI, user included ({@code ...?user=postgres})
   * @param keep how long handled dead events are kept; the seed says 30 days, the demo a few seconds
   */
  static Result run(DataSource db, String jdbcUrl, String schema, Duration keep) throws Exception {
    Set<String> broken = ConcurrentHashMap.newKeySet();
    broken.addAll(Set.of("order.paid", "payment.captured"));
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    Processor handler = event -> {
      String json = new String(event.payload(), StandardCharsets.UTF_8);
      if (!json.startsWith("{")) {
        throw new InvalidMessageException("the payload is not a JSON object"); // dead at once
      }
      if (broken.contains(event.type())) {
        throw new IllegalStateException("invoice mapping has no field 'vat' for " + event.type()); // retried, then dead
      }
      delivered.add(event.id());
      return Outcome.success();
    };
    List<String> cliStore = List.of("--store", "postgres", "--url", jdbcUrl, "--set", "schema=" + schema);
    List<Alert> alerts = new CopyOnWriteArrayList<>();
    try (OutboxDeadEvents app = OutboxDeadEvents.start(db, schema, handler, alerts::add)) {
      try (Connection c = db.getConnection()) {
        for (int i = 1; i <= 6; i++) {
          app.publish(c, new Event("order", "o-" + i, "order.created", json("order", "o-" + i)));
          app.publish(c, new Event("order", "o-" + i, "order.paid", Json.createObjectBuilder()
              .add("order", "o-" + i).add("amount", 10 * i).build().toString()));
        }
        app.publish(c, new Event("payment", "p-1", "payment.captured", json("payment", "p-1")));
        app.publish(c, new Event("payment", "p-2", "payment.captured", json("payment", "p-2")));
        app.publish(c, new Event("order", "o-7", "order.created", "<order id='o-7'/>")); // malformed
      }
      DeadLetterFilter all = OutboxDeadEvents.filter(null, null, null);
      Await.until("9 dead events", () -> app.countDeadEvents(all) == 9);
      Await.until("the alert to ops", () -> !alerts.isEmpty());

      // list and count, from code: pages of 4 (keyset cursor), and the seed's filters
      Set<String> listed = new LinkedHashSet<>();
      Optional<String> cursor = Optional.empty();
      do {
        Page<StoredDeadLetter> page = app.fetchDeadEvents(all, 4, cursor);
        page.items().forEach(d -> listed.add(d.id()));
        cursor = page.nextCursor();
      } while (cursor.isPresent());
      Map<String, Long> counts = new LinkedHashMap<>();
      counts.put("aggregate_type=order", app.countDeadEvents(OutboxDeadEvents.filter("order", null, null)));
      counts.put("aggregate_type=payment", app.countDeadEvents(OutboxDeadEvents.filter("payment", null, null)));
      counts.put("event_type=order.paid", app.countDeadEvents(OutboxDeadEvents.filter(null, "order.paid", null)));
      StringWriter json = new StringWriter();
      StringWriter csv = new StringWriter();
      app.exportJson(all, json);
      app.exportCsv(all, csv);
      Seen code = new Seen(listed, app.countDeadEvents(all), lines(json.toString()), lines(csv.toString()));

      // the same over HTTP
      String api = app.adminUrl() + "/api/dead-letters";
      Seen http = new Seen(ids(get(api + "?status=PENDING&limit=100")),
          Json.createReader(new StringReader(get(api + "/stats?status=PENDING"))).readObject().getJsonNumber("total").longValue(),
          lines(get(api + "/export?status=PENDING&format=json")), lines(get(api + "/export?status=PENDING&format=csv")));

      // and with the dlq command line
      Seen cli = new Seen(ids(dlq(cliStore, "dead-letters", "list", "--status", "pending", "--limit", "100", "--output", "json")),
          Json.createReader(new StringReader(dlq(cliStore, "dead-letters", "stats", "--status", "pending", "--output", "json")))
              .readObject().getJsonNumber("total").longValue(),
          lines(dlq(cliStore, "dead-letters", "export", "--status", "pending", "--format", "json")),
          lines(dlq(cliStore, "dead-letters", "export", "--status", "pending", "--format", "csv")));
      String metricsAtPeak = get(app.adminUrl() + "/metrics");

      // the bug is fixed: retry the 8 dead events of order.paid and payment.captured, every way there is
      broken.clear();
      List<String> paid = sortedIds(app, OutboxDeadEvents.filter(null, "order.paid", null));
      List<String> captured = sortedIds(app, OutboxDeadEvents.filter(null, "payment.captured", null));
      Map<String, String> retriedBy = new LinkedHashMap<>();
      Map<String, String> answers = new LinkedHashMap<>();
      answers.put("code, one", String.valueOf(app.retryDeadEvent(paid.get(0), "alice")));
      answers.put("code, batch", String.valueOf(app.retryDeadEventsBatch(paid.subList(1, 3), "alice")));
      answers.put("http, one", post(api + "/" + paid.get(3) + "/replay", "{}"));
      answers.put("http, batch", post(api + "/replay", Json.createObjectBuilder()
          .add("ids", Json.createArrayBuilder(paid.subList(4, 6))).build().toString()));
      answers.put("cli, one", dlq(cliStore, "dead-letters", "replay", captured.get(0), "--operator", "carol"));
      answers.put("cli, batch", dlq(cliStore, "dead-letters", "replay-batch", "--type", "payment.captured", "--yes",
          "--operator", "carol"));
      String[] how = {"code, one", "code, batch", "code, batch", "http, one", "http, batch", "http, batch"};
      for (int i = 0; i < 6; i++) {
        retriedBy.put(eventId(app, paid.get(i)), how[i]);
      }
      retriedBy.put(eventId(app, captured.get(0)), "cli, one");
      retriedBy.put(eventId(app, captured.get(1)), "cli, batch");
      Await.until("the 8 retried events delivered", () -> delivered.containsAll(retriedBy.keySet()));

      // retention: handled dead events older than `keep` go; newer ones and still-dead ones stay
      Instant lastDeath = app.store().find(DeadLetterQuery.of(DeadLetterFilter.all(), 1)).items().get(0).deadLetter().deadAt();
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), lastDeath.plus(keep)).toMillis() + 100));
      Instant mark = Instant.now();
      try (Connection c = db.getConnection()) {
        app.publish(c, new Event("order", "o-8", "order.created", "<order id='o-8'/>"));
        app.publish(c, new Event("payment", "p-3", "payment.captured", "<payment id='p-3'/>"));
      }
      DeadLetterFilter since = OutboxDeadEvents.filter(null, null, mark);
      Await.until("2 new dead events", () -> app.countDeadEvents(since) == 2);
      long deadSince = app.countDeadEvents(since);
      app.store().discard(List.of(sortedIds(app, since).get(0)), "alice", "test data");
      long cleanedUp = app.cleanupOldDeadEvents(keep, "retention-job");
      Set<String> left = app.store().find(DeadLetterQuery.of(DeadLetterFilter.all(), 100)).items().stream()
          .map(StoredDeadLetter::id).collect(Collectors.toCollection(LinkedHashSet::new));
      return new Result(counts, code, http, cli, retriedBy, answers, Set.copyOf(delivered), deadSince, cleanedUp,
          left, List.copyOf(alerts), metricsAtPeak, get(app.adminUrl() + "/metrics"));
    }
  }

  /** Runs one {@code dlq} command in this JVM against the example's store; returns what it printed. */
  static String dlq(List<String> store, String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(store);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = dev.dlq.admin.Main.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    if (exit != 0) {
      throw new IllegalStateException("dlq " + String.join(" ", command) + " exited " + exit + ": " + err);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String get(String url) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  /** A changing request: JSON, and a header a cross-site page cannot send (the admin server's CSRF rule). */
  private static String post(String url, String body) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json").header("X-Dlq-Request", "1").header("X-Dlq-Operator", "bob"));
  }

  private static String send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.request().uri() + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** The ids of a list answer, {@code {"items": [{"id": ...}, ...]}}, from the API or the CLI. */
  private static Set<String> ids(String listJson) {
    JsonObject o = Json.createReader(new StringReader(listJson)).readObject();
    return o.getJsonArray("items").stream().map(v -> v.asJsonObject().getString("id"))
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static List<String> sortedIds(OutboxDeadEvents app, DeadLetterFilter filter) {
    return app.fetchDeadEvents(filter, 100, Optional.empty()).items().stream().map(StoredDeadLetter::id).sorted().toList();
  }

  private static String eventId(OutboxDeadEvents app, String deadLetterId) {
    return app.store().get(deadLetterId).orElseThrow().deadLetter().message().id();
  }

  private static String json(String key, String value) {
    return Json.createObjectBuilder().add(key, value).build().toString();
  }

  private static List<String> lines(String text) {
    return text.lines().filter(l -> !l.isBlank()).toList();
  }
}
