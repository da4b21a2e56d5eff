package dev.dlq.bench.drain;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The NATS server both NATS contenders use in one run: {@code --nats-url}, else
 * {@code DLQ_BENCH_NATS_URL}, else nats://127.0.0.1:4222 (JetStream enabled). Each round gets a
 * fresh file-backed stream and a durable pull consumer with explicit acks; both are deleted after.
 */
public final class Nats {
  private final String url;

  private Nats(String url) {
    this.url = url;
  }

  public static Nats at(String explicitUrl) {
    String given = explicitUrl != null ? explicitUrl : System.getenv("DLQ_BENCH_NATS_URL");
    return new Nats(given != null && !given.isBlank() ? given : "nats://127.0.0.1:4222");
  }

  public String url() {
    return url;
  }

  /** Why no JetStream server answers at {@link #url()}, or null when one does. */
  public String unavailable() {
    try (Connection nc = io.nats.client.Nats.connect(new io.nats.client.Options.Builder().server(url)
        .connectionTimeout(Duration.ofSeconds(3)).noReconnect().errorListener(new io.nats.client.ErrorListener() {})
        .build())) {
      nc.jetStreamManagement().getAccountStatistics();
      return null;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return "no JetStream server at " + url + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }
  }

  public String describe() {
    return "NATS JetStream at " + url;
  }

  public Connection connect() throws Exception {
    // dlq-nats' listener: no warning per pull that expired empty (both contenders use it)
    return io.nats.client.Nats.connect(new io.nats.client.Options.Builder().server(url)
        .connectionTimeout(Duration.ofSeconds(5)).errorListener(dev.dlq.nats.JetStreamDlq.errorListener()).build());
  }

  /**
   * A fresh stream {@code <PREFIX>_<id>} on subjects {@code <prefix><id>.tasks.>} (dlq's DLQ stream
   * of prefix {@code <prefix><id>} takes {@code .dlq.>}), holding n messages {"n":i}.
   */
  public static Stream streamWith(Connection nc, String prefix, int n) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String stream = prefix.toUpperCase() + "_" + id;
    String subjectPrefix = prefix + id;
    JetStreamManagement jsm = nc.jetStreamManagement();
    jsm.addStream(StreamConfiguration.builder().name(stream).subjects(subjectPrefix + ".tasks.>")
        .storageType(StorageType.File).build());
    JetStream js = nc.jetStream();
    List<CompletableFuture<PublishAck>> acks = new ArrayList<>(1000);
    for (int i = 0; i < n; i++) {
      acks.add(js.publishAsync(subjectPrefix + ".tasks.task", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
      if (acks.size() == 1000) {
        CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get();
        acks.clear();
      }
    }
    CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get();
    return new Stream(stream, subjectPrefix);
  }

  /** A durable pull consumer with explicit acks, as dlq-nats creates one. */
  public static void addConsumer(Connection nc, Stream s, String durable, int maxAckPending) throws Exception {
    nc.jetStreamManagement().addOrUpdateConsumer(s.name(), ConsumerConfiguration.builder().durable(durable)
        .ackPolicy(AckPolicy.Explicit).deliverPolicy(DeliverPolicy.All).ackWait(Duration.ofSeconds(30))
        .maxAckPending(maxAckPending).build());
  }

  /** Messages of {@code durable} not yet delivered plus those delivered and not yet acknowledged, once acks settled. */
  public static long left(Connection nc, Stream s, String durable, Duration patience) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      ConsumerInfo ci = nc.jetStreamManagement().getConsumerInfo(s.name(), durable);
      long left = ci.getNumPending() + ci.getNumAckPending();
      if (left == 0 || System.nanoTime() > deadline) {
        return left;
      }
      Thread.sleep(20);
    }
  }

  public static void delete(Connection nc, Stream s) {
    try {
      nc.jetStreamManagement().deleteStream(s.name());
    } catch (Exception e) {
      // best effort: a leftover bench stream is harmless
    }
  }

  /** A bench stream. */
  public record Stream(String name, String subjectPrefix) {}
}
