package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.InMemory;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line itself on the memory store: help, version, output formats, exit codes, settings. */
class CliTest {
  private final String backend = Fixtures.backendWithTwoDeadLetters();
  private final InMemory mem = InMemory.named(backend);
  private final String id1 = Fixtures.id("m-1");
  private ByteArrayOutputStream out = new ByteArrayOutputStream();
  private ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of("USER", "tester"));
  }

  /** On this test's memory backend. */
  private int dlq(String... words) {
    List<String> args = new ArrayList<>(List.of(words));
    args.addAll(List.of("--store", "memory", "--set", "instance=" + backend));
    return run(args.toArray(new String[0]));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyCommandHasHelpAndEveryParentAHelpCommand() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine(new Main.Cli(System.out, System.err, Map.of(), false)), new ArrayList<>(), paths);
    assertThat(paths).extracting(p -> String.join(" ", p)).contains("dead-letters list", "dead-letters replay-batch",
        "dead-letters audit", "serve", "migrate", "demo", "sqs redrive");
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      assertThat(run(args.toArray(new String[0]))).as(String.join(" ", args)).isZero();
      assertThat(out()).as(String.join(" ", args)).startsWith("Usage: dlq " + String.join(" ", path));
      if (path.size() > 0) {
        List<String> viaHelp = new ArrayList<>(path.subList(0, path.size() - 1));
        viaHelp.add("help");
        viaHelp.add(path.get(path.size() - 1));
        assertThat(run(viaHelp.toArray(new String[0]))).as(String.join(" ", viaHelp)).isZero();
        assertThat(out()).startsWith("Usage: dlq " + String.join(" ", path));
      }
    }
    assertThat(run("dead-letters", "help")).isZero();
    assertThat(out()).contains("replay-batch").doesNotContain("URL is required");
    assertThat(run()).isEqualTo(2);
    assertThat(err()).contains("Usage: dlq").contains("Exit codes: 0 done");
    assertThat(run("dead-letters")).isEqualTo(2);
  }

  private static void collect(CommandLine cl, List<String> path, List<List<String>> paths) {
    paths.add(path);
    cl.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        List<String> p = new ArrayList<>(path);
        p.add(name);
        collect(sub, p, paths);
      }
    });
  }

  @Test
  void versionIsTheProjectsVersion() {
    assertThat(run("--version")).isZero();
    assertThat(out()).matches("(?s)dlq \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R.*");
  }

  @Test
  void oldCamelCaseSpellingsAreRejectedWithTheKebabCaseOne() {
    assertThat(dlq("dead-letters", "list", "--errorClass", "USER_ERROR")).isEqualTo(2);
    assertThat(err()).contains("unknown option '--errorClass'; did you mean '--error-class'?");
    assertThat(dlq("dead-letters", "replay-batch", "--errorType=x")).isEqualTo(2);
    assertThat(err()).contains("did you mean '--error-type'?");
    assertThat(dlq("dead-letters", "list", "--json")).isEqualTo(2);
    assertThat(err()).contains("unknown option '--json'; did you mean '--output json'?");
    assertThat(dlq("dead-letters", "stats", "--format", "csv")).isEqualTo(2);
    assertThat(err()).contains("did you mean '--output'?");
  }

  @Test
  void listPrintsATableSizedToItsContentOrJsonOrCsv() {
    assertThat(dlq("dead-letters", "list")).isZero();
    String[] lines = out().split("\\R");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("ID" + " ".repeat(id1.length())).contains("  TYPE");
    // the TYPE column is as wide as "payment.captured", plus two spaces
    assertThat(lines[0].indexOf("STATUS") - lines[0].indexOf("TYPE")).isEqualTo("payment.captured".length() + 2);

    assertThat(dlq("dead-letters", "list", "--output", "json")).isZero();
    JsonObject o = Json.createReader(new StringReader(out())).readObject();
    assertThat(o.getJsonArray("items")).hasSize(2);
    assertThat(o.getJsonArray("items").getJsonObject(1).getString("id")).isEqualTo(id1);

    assertThat(dlq("dead-letters", "list", "-o", "csv")).isZero();
    assertThat(out().split("\\R")).hasSize(3);
    assertThat(out()).startsWith("id,messageId,type,source,status,reason,errorClass,errorType,errorMessage,")
        .contains(id1 + ",m-1,order.created,");
    assertThat(dlq("dead-letters", "list", "--output", "xml")).isEqualTo(2);
    assertThat(err()).contains("--output").contains("table, json, csv");
  }

  @Test
  void showDecodesThePayload() {
    assertThat(dlq("dead-letters", "show", id1)).isZero();
    assertThat(out()).contains("payload (json, ").contains("\"id\": \"m-1\"").contains("order.created")
        .contains("headers:").contains("tenant: acme");
    assertThat(dlq("dead-letters", "show", id1, "--output", "json")).isZero();
    JsonObject o = Json.createReader(new StringReader(out())).readObject();
    assertThat(o.getString("payloadEncoding")).isEqualTo("json");
    assertThat(o.getJsonObject("payload").getString("card")).isEqualTo("4111");
    assertThat(dlq("dead-letters", "show", id1, "--output", "csv")).isZero();
    assertThat(out()).startsWith(Views.CSV_HEADER);

    mem.store().record(withPayload("bin", new byte[] {(byte) 0xff, 0, 1}));
    assertThat(dlq("dead-letters", "show", Fixtures.id("bin"))).isZero();
    assertThat(out()).contains("payload (base64, 3 bytes):").contains("/wAB");
    mem.store().record(withPayload("txt", "plain words\nsecond line".getBytes(StandardCharsets.UTF_8)));
    assertThat(dlq("dead-letters", "show", Fixtures.id("txt"))).isZero();
    assertThat(out()).contains("payload (text, ").contains("plain words\nsecond line");
    // a terminal escape is not printed as it is
    mem.store().record(withPayload("esc", "\u001b[2Jgone".getBytes(StandardCharsets.UTF_8)));
    assertThat(dlq("dead-letters", "show", Fixtures.id("esc"))).isZero();
    assertThat(out()).contains("payload (base64").doesNotContain("\u001b");
  }

  private static dev.dlq.DeadLetter withPayload(String id, byte[] payload) {
    dev.dlq.DeadLetter d = Fixtures.deadLetter(id, "t", ErrorClass.UNKNOWN, DeadLetterReason.EXHAUSTED,
        Instant.parse("2026-01-02T00:00:00Z"));
    dev.dlq.Message m = d.message();
    return dev.dlq.DeadLetter.builder(new dev.dlq.Message(m.id(), m.type(), payload, m.headers(), m.source(), m.attempt(),
        m.firstSeen())).errorClass(d.errorClass()).errorType(d.errorType()).errorMessage(d.errorMessage())
        .deadAt(d.deadAt()).reason(d.reason()).workerId("w").fingerprint("fp").build();
  }

  @Test
  void statsAndAuditPrintEveryFormat() {
    assertThat(dlq("dead-letters", "stats")).isZero();
    assertThat(out()).startsWith("total: 2").contains("BY TYPE").contains("order.created").contains("BY ERROR CLASS");
    assertThat(dlq("dead-letters", "stats", "--output", "json")).isZero();
    assertThat(Json.createReader(new StringReader(out())).readObject().getInt("total")).isEqualTo(2);
    assertThat(dlq("dead-letters", "stats", "--output", "csv")).isZero();
    assertThat(out()).startsWith("dimension,key,count").contains("total,,2").contains("type,order.created,1");

    assertThat(dlq("dead-letters", "resolve", id1, "--note", "fixed, \"really\"")).isZero();
    assertThat(dlq("dead-letters", "audit")).isZero();
    assertThat(out()).startsWith("AT").contains("tester").contains("resolve");
    assertThat(dlq("dead-letters", "audit", "--output", "json")).isZero();
    JsonObject entry = Json.createReader(new StringReader(out())).readObject().getJsonArray("items").getJsonObject(0);
    assertThat(entry.getString("action")).isEqualTo("resolve");
    assertThat(entry.getString("operator")).isEqualTo("tester");
    assertThat(dlq("dead-letters", "audit", "--output", "csv")).isZero();
    assertThat(out()).startsWith("at,operator,action,count,target,detail").contains("\"\"really\"\"");
  }

  @Test
  void anUnknownIdIsExitThreeInEveryActionAndChangesNothing() {
    for (String action : List.of("show", "replay", "resolve", "discard")) {
      assertThat(dlq("dead-letters", action, "no-such-id")).as(action).isEqualTo(Exit.NOT_FOUND);
      assertThat(err()).as(action).contains("no dead letter with id 'no-such-id'");
    }
    assertThat(dlq("dead-letters", "replay", id1, "no-such-id")).isEqualTo(Exit.NOT_FOUND);
    assertThat(mem.size("orders")).isZero();
    assertThat(mem.store().get(id1).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
  }

  @Test
  void storeSettingsAreCheckedAgainstWhatTheProviderReads() {
    assertThat(run("dead-letters", "list", "--store", "memory", "--set", "instanse=x")).isEqualTo(2);
    assertThat(err()).contains("unknown setting 'instanse' for store 'memory'; its settings are: instance");
    assertThat(run("dead-letters", "list", "--store", "postgres", "--url", "jdbc:postgresql://127.0.0.1:1/x",
        "--set", "shema=x")).isEqualTo(2);
    assertThat(err()).contains("unknown setting 'shema' for store 'postgres'; its settings are: password, schema, url, user");
    assertThat(run("dead-letters", "list", "--store", "postgres", "--set", "migrate=true")).isEqualTo(2);
    assertThat(err()).contains("only 'dlq migrate' creates or upgrades dlq's tables");
    assertThat(run("dead-letters", "list", "--store", "nats", "--set", "subjectprefix=x")).isEqualTo(2);
    assertThat(err()).contains("its settings are: createStreams, dlqStream, duplicateWindow, maxAge, servers, subjectPrefix");
    assertThat(run("dead-letters", "list", "--store", "sqs")).isEqualTo(2);
    assertThat(err()).contains("no store named 'sqs'; this dlq has: memory, nats, postgres (SQS: dlq sqs redrive)");
    assertThat(run("dead-letters", "list")).isEqualTo(2);
    assertThat(err()).contains("provider 'postgres' needs setting 'url'");
    assertThat(run("dead-letters", "list", "--url", "jdbc:mysql://x/y")).isEqualTo(2);
    assertThat(err()).contains("must start with jdbc:postgresql:");
    assertThat(run("dead-letters", "list", "--store", "memory", "--url", "x")).isEqualTo(2);
    assertThat(err()).contains("store 'memory' takes no --url");
  }

  @Test
  void anUnreachableStoreIsExitFour() {
    assertThat(run("dead-letters", "list", "--url", "jdbc:postgresql://127.0.0.1:1/x?connectTimeout=2")).isEqualTo(4);
    assertThat(err()).startsWith("dlq dead-letters list: ").contains("127.0.0.1:1");
    assertThat(err().strip().split("\\R")).hasSize(1);
  }

  @Test
  void replayBatchWithARatePrintsProgressOnStderr() {
    String many = Fixtures.backendWith(6);
    assertThat(run("dead-letters", "replay-batch", "--type", "bulk.test", "--rate", "3", "--yes", "--store", "memory",
        "--set", "instance=" + many)).as(err()).isZero();
    assertThat(out()).contains("replayed 6 of 6");
    assertThat(err()).containsPattern("replaying \\[#* *\\] \\d/6 ").contains("replaying [" + "#".repeat(30) + "] 6/6 100%");
    assertThat(InMemory.named(many).size("orders")).isEqualTo(6);
  }
}
