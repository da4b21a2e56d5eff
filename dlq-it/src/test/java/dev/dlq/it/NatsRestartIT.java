package dev.dlq.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.DeadLetterFilter;
import dev.dlq.nats.JetStreamDlq;
import dev.dlq.nats.NatsHeaders;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 (2): the nats-server restarts in the middle of a run, then the worker process is killed
 * with SIGKILL, and a new worker process finishes. Every good message is processed and every poison
 * message is in the DLQ stream exactly once. The test owns its nats-server (own port, own store under
 * target/), never the shared one.
 */
class NatsRestartIT {
  private static final int MESSAGES = 2000;
  private static final int POISON_EVERY = 25;
  private static final String PREFIX = "restartit";
  private static final String STREAM = "RESTARTIT_EVENTS";
  private static final String CONSUMER = "worker";

  private final List<Process> children = new ArrayList<>();
  private final List<Path> processedFiles = new ArrayList<>();

  @AfterEach
  void killChildren() {
    children.forEach(Process::destroyForcibly);
  }

  @Test
  void goodMessagesProcessedAndPoisonDeadLetteredOnceAcrossARestartAndAKill() throws Exception {
    try (OwnNats server = OwnNats.start("nats-restart");
        Connection conn = Nats.connect(new Options.Builder().server(server.url()).maxReconnects(-1)
            .reconnectWait(Duration.ofMillis(100)).errorListener(JetStreamDlq.errorListener()).build());
        JetStreamDlq nats = JetStreamDlq.builder(PREFIX).connection(conn).build()) {
      JetStreamManagement jsm = conn.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name(STREAM).subjects(PREFIX + ".events.>")
          .storageType(StorageType.File).build());
      Set<String> good = new HashSet<>();
      List<Long> poison = new ArrayList<>();
      JetStream js = conn.jetStream();
      for (int i = 0; i < MESSAGES; i++) {
        String type = i % POISON_EVERY == 0 ? "poison" : "ok";
        long seq = js.publish(PREFIX + ".events." + type, ("m" + i).getBytes(StandardCharsets.UTF_8)).getSeqno();
        if (type.equals("poison")) {
          poison.add(seq);
        } else {
          good.add(STREAM + ":" + seq);
        }
      }

      Process first = startWorker(server);
      Waits.until("the first worker to get going", Duration.ofSeconds(60), () -> processed().size() >= MESSAGES / 4);
      long deliveredBefore = delivered(jsm);
      long stopping = System.nanoTime();
      server.stop();
      long down = System.nanoTime();
      server.startAgain();
      long up = System.nanoTime();
      Waits.until("deliveries to go on after the restart", Duration.ofSeconds(30),
          () -> delivered(jsm) > deliveredBefore);
      System.out.printf("NatsRestartIT: restart at stream sequence %d delivered: stop %d ms, start %d ms, "
          + "fetching again %d ms after the server was back%n", deliveredBefore, (down - stopping) / 1_000_000,
          (up - down) / 1_000_000, (System.nanoTime() - up) / 1_000_000);
      Waits.until("the same worker to go on after the restart", Duration.ofSeconds(60),
          () -> processed().size() >= MESSAGES * 45 / 100);
      assertThat(first.isAlive()).as("the first worker survived the restart").isTrue();

      first.destroyForcibly(); // SIGKILL: deliveries in hand are neither acknowledged nor released
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(processed().size()).as("killed mid-run").isLessThan(good.size());

      startWorker(server);
      Waits.until("the second worker to drain the stream", Duration.ofSeconds(90), () -> drained(jsm)
          && nats.store().count(DeadLetterFilter.all()) >= poison.size());

      assertThat(processed()).as("every good message processed, nothing else").isEqualTo(good);
      assertThat(dlqOriginalSequences(jsm, nats.dlqStream())).as("every poison message once in the DLQ stream")
          .containsExactlyInAnyOrderElementsOf(poison);
      assertThat(nats.store().count(DeadLetterFilter.all())).isEqualTo(poison.size());
    }
  }

  private Process startWorker(OwnNats server) throws Exception {
    int n = children.size() + 1;
    Path processed = Path.of("target", "nats-restart-processed-" + ProcessHandle.current().pid() + "-" + n + ".txt");
    Files.deleteIfExists(processed);
    Files.createFile(processed);
    processedFiles.add(processed);
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", NatsCrashableWorker.class.getName(), server.url(), PREFIX,
        STREAM, CONSUMER, processed.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(new File("target/nats-restart-worker-" + n + ".log"));
    Process p = pb.start();
    children.add(p);
    return p;
  }

  /** Distinct ids processed by every worker so far (a message may be processed twice: at least once). */
  private Set<String> processed() throws Exception {
    Set<String> ids = new HashSet<>();
    for (Path f : processedFiles) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          ids.add(line.trim());
        }
      }
    }
    return ids;
  }

  /** The last stream sequence the consumer delivered, or -1 while the server does not answer. */
  private static long delivered(JetStreamManagement jsm) {
    try {
      return jsm.getConsumerInfo(STREAM, CONSUMER).getDelivered().getStreamSequence();
    } catch (Exception e) {
      return -1;
    }
  }

  private static boolean drained(JetStreamManagement jsm) {
    try {
      ConsumerInfo ci = jsm.getConsumerInfo(STREAM, CONSUMER);
      return ci.getNumPending() == 0 && ci.getNumAckPending() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private static List<Long> dlqOriginalSequences(JetStreamManagement jsm, String dlqStream) throws Exception {
    long last = jsm.getStreamInfo(dlqStream).getStreamState().getLastSequence();
    List<Long> seqs = new ArrayList<>();
    for (long s = 1; s <= last; s++) {
      MessageInfo mi = jsm.getMessage(dlqStream, s);
      assertThat(mi.getSubject()).startsWith(PREFIX + ".dlq.");
      assertThat(mi.getHeaders().getFirst(NatsHeaders.ORIGINAL_STREAM)).isEqualTo(STREAM);
      seqs.add(Long.parseLong(mi.getHeaders().getFirst(NatsHeaders.ORIGINAL_SEQUENCE)));
    }
    return seqs;
  }
}
