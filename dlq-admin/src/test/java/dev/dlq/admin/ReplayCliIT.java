package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import dev.dlq.alerts.WebhookNotifier;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dlq dead-letters groups}, {@code dlq replays start|run|list|show|pause|resume|cancel} and
 * {@code dlq monitor --once} run in process (the real {@link Main} on picocli) against a real
 * PostgreSQL schema: output and exit codes.
 */
class ReplayCliIT {
  private static final Pattern JOB = Pattern.compile("^job ([0-9a-f-]{36}) ", Pattern.MULTILINE);
  private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

  private final TestDatabase db = TestDatabase.get();
  private String schema;
  private PostgresDeadLetterStore store;
  private final String queue = "ops-cli-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;
  private final List<DeadLetter> groupA = new ArrayList<>();
  private DeadLetter groupB;

  @BeforeEach
  void setUp() {
    schema = db.migratedSchema("ops_cli");
    store = PostgresDeadLetterStore.builder(db.dataSource()).schema(schema).build();
    for (int i = 0; i < 3; i++) {
      groupA.add(record("a-" + i, "order.created", "fp-a", T0.plusSeconds(i)));
    }
    groupB = record("b-0", "invoice.sent", "fp-b", T0.plusSeconds(10));
  }

  @AfterEach
  void tearDown() {
    db.dropSchema(schema);
  }

  private DeadLetter record(String id, String type, String fp, Instant deadAt) {
    Message m = new Message(id, type, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), Map.of(),
        SourceRef.of("postgres", queue), 3, deadAt.minusSeconds(30));
    DeadLetter dl = DeadLetter.builder(m).errorClass(ErrorClass.SYSTEM_ERROR).errorType("java.io.IOException")
        .errorMessage("downstream down " + id).deadAt(deadAt).fingerprint(fp).build();
    store.record(dl);
    return dl;
  }

  private int dlq(Map<String, String> env, String... words) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of(words));
    args.addAll(List.of("--store", "postgres", "--url", db.jdbcUrl(), "--set", "user=" + db.user(), "--set",
        "schema=" + schema));
    if (db.password() != null) {
      args.addAll(List.of("--set", "password=" + db.password()));
    }
    return Main.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
  }

  private int dlq(String... words) {
    return dlq(Map.of("USER", "olga"), words);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private String jobId() {
    Matcher m = JOB.matcher(out());
    assertThat(m.find()).as(out()).isTrue();
    return m.group(1);
  }

  private long readyTasks() throws Exception {
    try (Connection c = db.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + schema + "\".tasks WHERE queue = '" + queue
            + "' AND status = 'READY'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void groupsAreListedAsTableJsonAndCsv() {
    assertThat(dlq("dead-letters", "groups")).isZero();
    assertThat(out()).contains("fp-a", "fp-b", "order.created", "downstream down a-2");
    assertThat(out().indexOf("fp-a")).as("biggest first").isLessThan(out().indexOf("fp-b"));
    assertThat(dlq("dead-letters", "groups", "--output", "json")).isZero();
    assertThat(out()).contains("\"fingerprint\":\"fp-a\"", "\"count\":3", "\"pending\":3",
        "\"firstSeen\":\"2026-01-05T10:00:00Z\"", "\"lastSeen\":\"2026-01-05T10:00:02Z\"");
    assertThat(dlq("dead-letters", "groups", "--type", "invoice.sent", "--output", "csv")).isZero();
    assertThat(out()).contains("fp-b").doesNotContain("fp-a");
    assertThat(dlq("dead-letters", "groups", "--output", "yaml")).isEqualTo(Exit.USAGE);
  }

  @Test
  void aJobIsPlannedShownPausedResumedToTheEndAndRefusedWhenFinal() throws Exception {
    assertThat(dlq("replays", "start", "--group", "fp-a", "--step", "1", "--max-rate", "100")).isZero();
    String job = jobId();
    assertThat(out()).contains("PLANNED", "total 3, sent 0", "dry run: nothing was sent",
        "sample: " + groupA.get(0).id());
    assertThat(readyTasks()).as("a dry run sends nothing").isZero();

    assertThat(dlq("replays", "list")).isZero();
    assertThat(out()).contains(job, "PLANNED", "olga");
    assertThat(dlq("replays", "show", job)).isZero();
    assertThat(out()).contains(job, "PLANNED", "total 3", groupA.get(2).id());

    assertThat(dlq("replays", "pause", job)).isZero();
    assertThat(out()).contains("PAUSED");
    assertThat(dlq("replays", "run", job)).as("a paused job is not run").isZero();
    assertThat(out()).contains("PAUSED", "sent 0");
    assertThat(readyTasks()).isZero();

    assertThat(dlq("replays", "resume", job)).isZero();
    assertThat(out()).contains("COMPLETED", "total 3, sent 3, skipped 0, died again 0, pending 0");
    assertThat(err()).as("progress on stderr").contains("job " + job + ": RUNNING");
    assertThat(readyTasks()).isEqualTo(3);
    assertThat(store.get(groupA.get(1).id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.REPLAYED);
    assertThat(store.get(groupB.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);

    assertThat(dlq("replays", "run", job)).as("a completed job sends nothing more").isZero();
    assertThat(out()).contains("COMPLETED", "sent 3");
    assertThat(readyTasks()).isEqualTo(3);
    assertThat(dlq("replays", "cancel", job)).isEqualTo(Exit.FAILED);
    assertThat(err()).contains("COMPLETED");
    assertThat(dlq("replays", "show", "no-such-job")).isEqualTo(Exit.NOT_FOUND);
    assertThat(err()).contains("no replay job 'no-such-job'");
    assertThat(dlq("replays", "pause")).isEqualTo(Exit.USAGE);
    assertThat(dlq("dead-letters", "audit")).isZero();
    assertThat(out()).contains("replay-plan", "replay-pause", "replay-resume");
  }

  @Test
  void startWithYesRunsAtOnceAndAPlannedJobCanBeCancelledOrRun() throws Exception {
    assertThat(dlq("replays", "start", "--id", groupB.id(), "--step", "1", "--yes")).isZero();
    assertThat(out()).contains("COMPLETED", "total 1, sent 1");
    assertThat(readyTasks()).isEqualTo(1);

    assertThat(dlq("replays", "start", "--type", "order.created", "--step", "1")).isZero();
    String cancelled = jobId();
    assertThat(dlq("replays", "cancel", cancelled)).isZero();
    assertThat(out()).contains("CANCELLED");
    assertThat(dlq("replays", "run", cancelled)).isZero();
    assertThat(out()).contains("CANCELLED", "sent 0");
    assertThat(readyTasks()).isEqualTo(1);

    assertThat(dlq("replays", "start", "--fingerprint", "fp-a", "--step", "1", "--canary", "0", "--max-rate", "100")).isZero();
    String planned = jobId();
    assertThat(dlq("replays", "run", planned)).isZero();
    assertThat(out()).contains("COMPLETED", "sent 3");
    assertThat(readyTasks()).isEqualTo(4);
    assertThat(dlq("replays", "list", "--output", "csv")).isZero();
    assertThat(out().lines()).anyMatch(l -> l.startsWith(planned + ",COMPLETED,3,3,0,0,olga"))
        .anyMatch(l -> l.startsWith(cancelled + ",CANCELLED,3,0,0,3,olga"));
  }

  @Test
  void monitorOncePostsSignedAlertsToAWebhook(@TempDir Path dir) throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    List<String> signatures = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/hook", ex -> {
      bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      signatures.add(String.valueOf(ex.getRequestHeaders().getFirst(WebhookNotifier.SIGNATURE_HEADER)));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    receiver.start();
    try {
      Path rules = dir.resolve("rules.json");
      Files.writeString(rules, "{\"rules\": [{\"name\": \"stale\", \"kind\": \"oldest\", \"olderThan\": \"1h\","
          + " \"notify\": [\"ops\"]}]}");
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      Map<String, String> env = Map.of("USER", "olga", "DLQ_WEBHOOK_SECRET", "s3cret-for-tests-only");

      assertThat(dlq(env, "monitor", "--rules", rules.toString(), "--webhook", url, "--once")).as(err()).isZero();
      assertThat(bodies).as("one alert for the oldest pending dead letter").hasSize(1);
      assertThat(bodies.get(0)).contains("\"rule\":\"stale\"", groupA.get(0).id(), "downstream down a-0");
      assertThat(signatures.get(0)).isNotBlank().isNotEqualTo("null");

      assertThat(dlq(Map.of("USER", "olga"), "monitor", "--rules", rules.toString(), "--webhook", url, "--once"))
          .as("no secret").isEqualTo(Exit.USAGE);
      assertThat(err()).contains("DLQ_WEBHOOK_SECRET");
      Files.writeString(rules, "{\"rules\": [{\"name\": \"stale\", \"kind\": \"oldest\", \"window\": \"1h\"}]}");
      assertThat(dlq(env, "monitor", "--rules", rules.toString(), "--webhook", url, "--once")).isEqualTo(Exit.USAGE);
      assertThat(err()).contains("window");
      assertThat(dlq(env, "monitor", "--webhook", url, "--once")).as("--rules is required").isEqualTo(Exit.USAGE);
      assertThat(bodies).hasSize(1);
    } finally {
      receiver.stop(0);
    }
  }
}
