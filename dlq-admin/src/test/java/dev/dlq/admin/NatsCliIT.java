package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.Dlq;
import dev.dlq.ErrorClass;
import dev.dlq.spi.DeadLetterStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The NATS store through the command line, on the shared NATS (DLQ_IT_NATS_URL, else
 * 127.0.0.1:4222; skipped when there is none, failed under CI=true).
 */
class NatsCliIT {
  private static String url;
  private final String prefix = "cli" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  @BeforeAll
  static void server() {
    url = System.getenv().getOrDefault("DLQ_IT_NATS_URL", "nats://127.0.0.1:4222");
    URI u = URI.create(url);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 4222 : u.getPort()), 2000);
    } catch (java.io.IOException e) {
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail("no NATS at " + url + " (CI=true: integration tests must not be skipped)");
      }
      Assumptions.assumeTrue(false, "no NATS at " + url);
    }
  }

  /** The streams (DLQ, audit, state bucket) this test made on the shared server go with it. */
  @org.junit.jupiter.api.AfterEach
  void deleteStreams() throws Exception {
    try (io.nats.client.Connection c = io.nats.client.Nats.connect(url)) {
      io.nats.client.JetStreamManagement jsm = c.jetStreamManagement();
      for (String name : jsm.getStreamNames()) {
        if (name.toLowerCase(java.util.Locale.ROOT).contains(prefix)) {
          jsm.deleteStream(name);
        }
      }
    }
  }

  private int dlq(String... words) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of(words));
    args.addAll(List.of("--store", "nats", "--url", url, "--set", "subjectPrefix=" + prefix));
    return Main.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("USER", "tester"));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void listShowStatsResolveAndAuditOnTheDlqStream() throws Exception {
    String id;
    try (DeadLetterStore store = Dlq.store("nats", Map.of("servers", url, "subjectPrefix", prefix))) {
      store.record(Fixtures.deadLetter("n-1", "order.created", ErrorClass.USER_ERROR, DeadLetterReason.NON_RETRYABLE,
          Instant.parse("2026-01-01T10:00:00Z")));
      store.record(Fixtures.deadLetter("n-2", "payment.captured", ErrorClass.RECOVERABLE, DeadLetterReason.EXHAUSTED,
          Instant.parse("2026-01-01T11:00:00Z")));
      id = Fixtures.id("n-1");
    }
    assertThat(dlq("dead-letters", "list")).as(err.toString()).isZero();
    assertThat(out()).contains(id).contains("payment.captured");
    assertThat(dlq("dead-letters", "list", "--error-class", "USER_ERROR", "--output", "csv")).isZero();
    assertThat(out().strip().split("\\R")).hasSize(2);
    assertThat(dlq("dead-letters", "show", id)).isZero();
    assertThat(out()).contains("payload (json").contains("\"id\": \"n-1\"");
    assertThat(dlq("dead-letters", "stats", "--output", "json")).isZero();
    assertThat(out()).contains("\"total\":2");
    assertThat(dlq("dead-letters", "resolve", "no-such-id")).isEqualTo(Exit.NOT_FOUND);
    assertThat(dlq("dead-letters", "resolve", id, "--note", "fixed")).isZero();
    assertThat(out()).contains("resolved 1");
    assertThat(dlq("dead-letters", "audit")).isZero();
    assertThat(out()).contains("resolve").contains("tester");
    try (DeadLetterStore store = Dlq.store("nats", Map.of("servers", url, "subjectPrefix", prefix))) {
      assertThat(store.get(id).orElseThrow().status()).isEqualTo(DeadLetterStatus.RESOLVED);
    }
  }

  @Test
  void aMalformedSettingIsExitTwo() {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    assertThat(Main.run(new String[] {"dead-letters", "list", "--store", "nats", "--url", url, "--set", "subjectPrefix=a b"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()))
        .isEqualTo(Exit.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("setting 'subjectPrefix' of provider 'nats'");
    assertThat(dlq("dead-letters", "list", "--set", "createStreams=maybe")).isEqualTo(Exit.USAGE);
  }

  @Test
  void aPrefixWithNoStreamIsExitFourAndCreatesNothing() throws Exception {
    assertThat(dlq("dead-letters", "list")).isEqualTo(Exit.STORE_UNAVAILABLE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no dead-letter stream for subjectPrefix '" + prefix + "'")
        .contains("createStreams=true");
    assertThat(dlq("dead-letters", "list")).as("still nothing created").isEqualTo(Exit.STORE_UNAVAILABLE);
  }
}
