package dev.dlq.examples.routing;

import dev.dlq.ErrorClass;
import dev.dlq.ErrorClassifier;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.admin.AdminServer;
import dev.dlq.alerts.AlertDelivery;
import dev.dlq.alerts.AlertMonitor;
import dev.dlq.alerts.AlertRule;
import dev.dlq.alerts.AutoRecovery;
import dev.dlq.alerts.Notifiers;
import dev.dlq.alerts.UserNotifications;
import dev.dlq.alerts.mail.MailNotifier;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.PostgresSchema;
import dev.dlq.prometheus.DlqMetrics;
import jakarta.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Seed 002: chart jobs on a PostgreSQL queue, rendered by an HTTP service. A job that fails three
 * times (a bad request at once) becomes a dead letter, and its error class decides where it goes:
 *
 * <pre>
 *   RECOVERABLE  (408, 429, 503, 504, timeouts)  the recovery queue: replayed by itself after a cool-down; ops told
 *   USER_ERROR   (400, 404, 422)                 the job's owner: a row in the notifications table and a mail
 *   SYSTEM_ERROR (500, 502)                      ops: a CRITICAL alert to their webhook
 *   UNKNOWN      (anything else)                 logged, and ops told
 * </pre>
 *
 * Stats and the latest failures are the admin server's {@code /api/dead-letters/stats} and
 * {@code /api/dead-letters?limit=N}; the attempts before death are in its {@code /metrics}.
 */
public final class ChartJobs implements AutoCloseable {
  /** The message type of a chart job. */
  public static final String TYPE = "chart.render";
  /** The header naming a job's owner (an e-mail address): USER_ERROR alerts go to them. */
  public static final String OWNER = "user";

  /**
   * The seed's table, by the renderer's HTTP status. UNKNOWN is "no opinion": dlq's defaults are asked
   * next, and they call a timeout or a refused connection RECOVERABLE.
   */
  public static final ErrorClassifier BY_STATUS = error -> {
    if (!(error instanceof RenderFailed failed)) {
      return ErrorClass.UNKNOWN;
    }
    switch (failed.status()) {
      case 408: case 429: case 503: case 504: return ErrorClass.RECOVERABLE; // timeout, rate limit, overloaded
      case 400: case 404: case 422: return ErrorClass.USER_ERROR;            // invalid input, not found
      case 500: case 502: return ErrorClass.SYSTEM_ERROR;                    // a bug, a broken server
      default: return ErrorClass.UNKNOWN;                                    // nobody planned for this one
    }
  };

  /**
   * Where the classes go: how long a RECOVERABLE dead letter waits before it is replayed, the ops
   * team's webhook (signed with {@code webhookSecret}) and the SMTP server that mails owners.
   */
  public record Routes(Duration recoveryCoolDown, URI opsWebhook, String webhookSecret, String smtpHost, int smtpPort) {}

  private final PostgresQueue jobs;
  private final UserNotifications notifications;
  private final AdminServer admin;
  private final AlertMonitor alerts;
  private final Worker worker;
  private final AutoRecovery recovery;

  private ChartJobs(PostgresQueue jobs, UserNotifications notifications, AdminServer admin, AlertMonitor alerts,
      Worker worker, AutoRecovery recovery) {
    this.jobs = jobs;
    this.notifications = notifications;
    this.admin = admin;
    this.alerts = alerts;
    this.worker = worker;
    this.recovery = recovery;
  }

  /** One rule per class; the owner rule is never throttled (each user hears of each failed job). */
  static List<AlertRule> rules() {
    return List.of(
        AlertRule.errorClass("ops-critical", ErrorClass.SYSTEM_ERROR).withNotify("ops"),     // CRITICAL
        AlertRule.errorClass("ops-recoverable", ErrorClass.RECOVERABLE).withNotify("ops"),   // WARNING
        AlertRule.errorClass("ops-unclassified", ErrorClass.UNKNOWN).withNotify("log", "ops"), // WARNING, logged
        AlertRule.errorClass("owner", ErrorClass.USER_ERROR).withOwnerHeader(OWNER)          // INFO
            .withNotify("users", "user-mail").withThrottle(Duration.ZERO));
  }

  /** Creates dlq's tables in {@code schema} if needed and starts the admin server, the alerts, the worker and the recovery. */
  public static ChartJobs start(DataSource db, String schema, URI renderer, Routes routes) throws IOException {
    PostgresSchema.migrate(db, schema);
    PostgresQueue jobs = PostgresQueue.builder(db, "charts").schema(schema).build();
    PostgresDeadLetterStore deadLetters = jobs.deadLetterStore();
    DlqMetrics metrics = DlqMetrics.create();
    AdminServer admin = AdminServer.builder(deadLetters).port(0).metrics(metrics).build().start(); // on 127.0.0.1

    UserNotifications notifications = UserNotifications.of(db, schema); // the seed's user_notifications table
    AlertMonitor alerts = AlertMonitor.builder(deadLetters).rules(rules())
        .delivery(AlertDelivery.builder()
            .channel("ops", Notifiers.webhook(routes.opsWebhook(), routes.webhookSecret()))
            .channel("log", Notifiers.log())
            .channel("users", notifications)
            .channel("user-mail", MailNotifier.builder(routes.smtpHost(), routes.smtpPort())
                .from("charts@example.com").to("support@example.com").toRecipient().build())
            // delivered from a PostgreSQL queue: nothing is lost while a receiver is down
            .queue(PostgresQueue.builder(db, AlertDelivery.DEFAULT_QUEUE).schema(schema).build())
            .build())
        .consoleUrl("http://127.0.0.1:" + admin.port())
        .build()
        .start();

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Worker worker = Worker.builder(jobs.source(), job -> render(http, renderer, job))
        .retryPolicy(RetryPolicy.fixed(Duration.ofMillis(200), 3))  // the seed's "fails 3x, then the DLQ"
        .classifier(BY_STATUS.orElse(ErrorClassifier.defaults()))
        .observer(metrics)
        .observer(alerts.observer())                                // every death is routed as it happens
        .workerId("charts-1")
        .build()
        .start();

    AutoRecovery recovery = AutoRecovery.builder(deadLetters)       // the recovery queue: RECOVERABLE only
        .coolDown(routes.recoveryCoolDown()).maxReplays(3)
        .build()
        .start(Duration.ofSeconds(1));
    return new ChartJobs(jobs, notifications, admin, alerts, worker, recovery);
  }

  /** The processor: POST the job's chart spec to the renderer; anything but a 200 is a {@link RenderFailed}. */
  static Outcome render(HttpClient http, URI renderer, Message job) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(renderer).timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(job.payload())).build();
    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new RenderFailed(answer.statusCode(), answer.body());
    }
    return Outcome.success();
  }

  /** Enqueues a chart job for {@code owner}; returns its id. */
  public String submit(String chart, String owner) {
    byte[] spec = Json.createObjectBuilder().add("chart", chart).build().toString().getBytes(StandardCharsets.UTF_8);
    return jobs.enqueue(TYPE, spec, Map.of(OWNER, owner));
  }

  /** The dead letters: stats, the latest failures, replay, discard. */
  public PostgresDeadLetterStore deadLetters() {
    return jobs.deadLetterStore();
  }

  /** What the application shows its users: their notifications, newest first. */
  public UserNotifications notifications() {
    return notifications;
  }

  /** The admin server's base URL, such as {@code http://127.0.0.1:41234}. */
  public URI admin() {
    return URI.create("http://127.0.0.1:" + admin.port());
  }

  /** Stops the worker (it hands back what it holds), the recovery, the alerts and the admin server. */
  @Override
  public void close() {
    worker.close();
    recovery.close();
    alerts.close();
    admin.close();
  }
}
