package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterStatus;
import dev.dlq.InMemory;
import dev.dlq.SourceRef;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLettersCommandTest {
  private final String backend = Fixtures.backendWithTwoDeadLetters();
  private final InMemory mem = InMemory.named(backend);
  private final String id1 = DeadLetter.idFor(SourceRef.of("memory", "orders"), "m-1");
  private final String id2 = DeadLetter.idFor(SourceRef.of("memory", "orders"), "m-2");
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  private int dlq(String... words) throws Exception {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of(words));
    args.addAll(List.of("--store", "memory", "--set", "instance=" + backend));
    return Main.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("USER", "tester"));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void listShowsNewestFirstAndFilters() throws Exception {
    assertThat(dlq("dead-letters", "list")).isZero();
    assertThat(out().indexOf(id2)).isPositive().isLessThan(out().indexOf(id1));
    assertThat(dlq("dead-letters", "list", "--error-class", "user_error", "--output", "json")).isZero();
    assertThat(out()).contains(id1).doesNotContain(id2).startsWith("{\"items\":[");
  }

  @Test
  void showRedactsWhatItIsToldTo() throws Exception {
    assertThat(dlq("dead-letters", "show", id1, "--redact-header", "authorization", "--redact-field", "card")).isZero();
    assertThat(out()).contains("[REDACTED]").doesNotContain("s3cret").doesNotContain("4111");
    assertThat(dlq("dead-letters", "show", id1, "--redact-header", "authorization", "--redact-field", "card",
        "--output", "json")).isZero();
    assertThat(out()).contains("[REDACTED]").doesNotContain("s3cret").doesNotContain("4111");
  }

  @Test
  void replaySendsOnceAndSaysSo() throws Exception {
    assertThat(dlq("dead-letters", "replay", id1)).isZero();
    assertThat(out()).contains("replayed 1 of 1");
    assertThat(mem.size("orders")).isEqualTo(1);
    assertThat(dlq("dead-letters", "replay", id1)).isZero();
    assertThat(out()).contains("replayed 0 of 1").contains("skipped");
    assertThat(mem.size("orders")).isEqualTo(1);
    assertThat(mem.store().get(id1).orElseThrow().lastReplayBy()).contains("tester");
  }

  @Test
  void replayBatchAsksBeforeItActs() throws Exception {
    assertThat(dlq("dead-letters", "replay-batch", "--type", "payment.captured")).isZero();
    assertThat(out()).contains("would replay 1 dead letters; add --yes");
    assertThat(mem.size("orders")).isZero();
    assertThat(dlq("dead-letters", "replay-batch", "--type", "payment.captured", "--yes")).isZero();
    assertThat(mem.size("orders")).isEqualTo(1);
  }

  @Test
  void badInputIsAClearErrorAndChangesNothing() throws Exception {
    assertThat(dlq("dead-letters", "resolve", id1, "no-such-id")).isEqualTo(3);
    assertThat(err()).contains("no-such-id").contains("nothing was done");
    assertThat(mem.store().get(id1).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);

    assertThat(dlq("dead-letters", "list", "--error-class", "BOGUS")).isEqualTo(2);
    assertThat(err()).contains("--error-class must be one of [RECOVERABLE, USER_ERROR, SYSTEM_ERROR, UNKNOWN] but was 'BOGUS'");
    assertThat(dlq("dead-letters", "list", "--limit", "0")).isEqualTo(2);
    assertThat(err()).contains("--limit must be a whole number from 1 to 1000");
    assertThat(dlq("dead-letters", "list", "--cursor", "garbage!")).isEqualTo(2);
    assertThat(err()).contains("malformed cursor");
    assertThat(dlq("dead-letters", "show", "nope")).isEqualTo(3);
    assertThat(err()).contains("no dead letter with id 'nope'");
    assertThat(dlq("dead-letters", "list", "--colour", "red")).isEqualTo(2);
    assertThat(err()).contains("unknown option '--colour'").doesNotContain("red");
    assertThat(dlq("dead-letters", "export", "--format", "xml")).isEqualTo(2);
    assertThat(dlq("dead-letters", "export", "--output", "table")).isEqualTo(2);
    assertThat(err()).contains("export writes --output json or csv");
  }

  @Test
  void resolveDiscardPurgeAndAudit() throws Exception {
    assertThat(dlq("dead-letters", "resolve", id1, "--note", "fixed upstream")).isZero();
    assertThat(dlq("dead-letters", "discard", id2)).isZero();
    assertThat(dlq("dead-letters", "purge", "--older-than", "1d")).isZero();
    assertThat(out()).contains("add --yes");
    assertThat(mem.store().get(id1)).isPresent();
    assertThat(dlq("dead-letters", "purge", "--older-than", "1d", "--yes")).isZero();
    assertThat(out()).contains("purged 2");
    assertThat(dlq("dead-letters", "audit")).isZero();
    assertThat(out()).contains("resolve").contains("discard").contains("purge").contains("tester");
  }

  @Test
  void exportWritesCsvAndJsonLines() throws Exception {
    assertThat(dlq("dead-letters", "export", "--format", "csv")).isZero();
    String[] lines = out().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).isEqualTo(Views.CSV_HEADER);
    assertThat(dlq("dead-letters", "export")).isZero();
    assertThat(out().split("\n")).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\"format\":\"dlq.dead-letter/1\""));
  }

  @Test
  void statsCountByTypeAndClass() throws Exception {
    assertThat(dlq("dead-letters", "stats", "--output", "json")).isZero();
    assertThat(out()).contains("\"total\":2").contains("\"order.created\":1").contains("\"USER_ERROR\":1");
  }
}
