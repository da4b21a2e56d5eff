package dev.dlq.examples.routing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.alerts.UserNotifications;
import dev.dlq.examples.support.Await;
import dev.dlq.spi.Alert;
import jakarta.json.Json;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Eight chart jobs of two users, covering the four classes; the renderer is overloaded until the
 * RECOVERABLE job has died, then recovers while that job waits in the recovery queue; ops abandon the
 * job their UNKNOWN alert names. What every route and endpoint showed is the {@link Result}.
 */
final class Scenario {
  static final String ANA = "ana@example.com";
  static final String BEN = "ben@example.com";
  private static final String SECRET = "ops-webhook-secret-for-the-example";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * What the run left behind: what each route received, what the renderer rendered, and the
   * endpoints' JSON ({@code recoveryQueue*}: stats of the PENDING RECOVERABLE dead letters).
   */
  record Result(List<Alert> opsAlerts, List<String> mails, List<UserNotifications.Notification> notifications,
      Map<String, Integer> rendered, String recoveryQueueDuringOutage, String recoveryQueueAfter, String stats,
      String failures, String audit, String metrics) {}

  private Scenario() {}

  static Result run(DataSource db, String schema, Duration recoveryCoolDown) throws Exception {
    int rendererPort = freePort();
    int opsPort = freePort();
    GreenMail smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    ChartJobs.Routes routes = new ChartJobs.Routes(recoveryCoolDown,
        URI.create("http://127.0.0.1:" + opsPort + "/hooks/dlq"), SECRET, "127.0.0.1", smtp.getSmtp().getPort());
    // the admin server starts before the stand-ins: it sets the JDK HTTP server's limits (docs/operating.md)
    try (ChartJobs charts = ChartJobs.start(db, schema, URI.create("http://127.0.0.1:" + rendererPort + "/render"), routes);
        StandIns.Renderer renderer = new StandIns.Renderer(rendererPort);
        StandIns.OpsReceiver ops = new StandIns.OpsReceiver(opsPort, SECRET)) {
      charts.submit("sales", ANA);
      charts.submit("traffic", BEN);
      charts.submit("forecast", ANA);                  // RECOVERABLE: 503 while the renderer is overloaded
      charts.submit("no-such-dataset", BEN);           // USER_ERROR: 404
      charts.submit("pie-with-negative-slices", ANA);  // USER_ERROR: 400
      charts.submit("legacy-heatmap", ANA);            // SYSTEM_ERROR: 500, twice: one alert for the group
      charts.submit("legacy-heatmap", BEN);
      charts.submit("sankey", BEN);                    // UNKNOWN: 409

      DeadLetterFilter recoveryQueue = DeadLetterFilter.builder().errorClass(ErrorClass.RECOVERABLE)
          .status(DeadLetterStatus.PENDING).build();
      Await.until("the forecast job in the recovery queue", () -> charts.deadLetters().count(recoveryQueue) == 1);
      String during = get(charts.admin(), "/api/dead-letters/stats?errorClass=RECOVERABLE&status=PENDING");
      renderer.outage.set(false);                      // the outage ends; the recovery's cool-down has not

      Await.until("six dead letters", () -> charts.deadLetters().count(DeadLetterFilter.all()) == 6);
      Await.until("three alerts at ops", () -> ops.alerts.size() == 3);
      Await.until("two mails to owners", () -> smtp.getReceivedMessages().length == 2);
      Await.until("the forecast replayed and rendered", () -> renderer.rendered.getOrDefault("forecast", 0) == 1
          && charts.deadLetters().count(recoveryQueue) == 0);
      Thread.sleep(1000);                              // room for anything that should not come

      // ops read the UNKNOWN alert and abandon the job it names (the seed's "abandon unrecoverable jobs")
      String unknownId = ops.alerts.values().stream().filter(a -> a.rule().equals("ops-unclassified"))
          .findFirst().orElseThrow().sample().orElseThrow().deadLetterId();
      post(charts.admin(), "/api/dead-letters/" + unknownId + "/discard",
          Json.createObjectBuilder().add("note", "sankey is being migrated").build().toString());

      List<UserNotifications.Notification> notes = new ArrayList<>(charts.notifications().list(ANA, 10, true));
      notes.addAll(charts.notifications().list(BEN, 10, true));
      return new Result(List.copyOf(ops.alerts.values()), mails(smtp), notes, Map.copyOf(renderer.rendered), during,
          get(charts.admin(), "/api/dead-letters/stats?errorClass=RECOVERABLE&status=PENDING"),
          get(charts.admin(), "/api/dead-letters/stats?since=24h"),
          get(charts.admin(), "/api/dead-letters?limit=10"),
          get(charts.admin(), "/api/audit?limit=10"),
          get(charts.admin(), "/metrics"));
    } finally {
      smtp.stop();
    }
  }

  private static List<String> mails(GreenMail smtp) throws MessagingException {
    List<String> out = new ArrayList<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      out.add(m.getAllRecipients()[0] + " | " + m.getSubject());
    }
    return out;
  }

  static String get(URI admin, String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(admin.resolve(path)).GET().build());
  }

  private static String post(URI admin, String path, String json) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(admin.resolve(path)).header("Content-Type", "application/json")
        .header("X-Dlq-Request", "1").header("X-Dlq-Operator", "olga-from-ops")  // the audit's operator
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  private static String send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
