package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Slow and greedy clients: they must not freeze the server or get more than the shared replay rate. */
class AbuseTest {
  private Served s;
  private final List<Socket> stalled = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Socket k : stalled) {
      k.close();
    }
    if (s != null) {
      s.close();
    }
  }

  /** Sends headers that promise a body, then nothing. */
  private void stall(int n) throws Exception {
    for (int i = 0; i < n; i++) {
      Socket k = new Socket(InetAddress.getLoopbackAddress(), s.server.port());
      OutputStream out = k.getOutputStream();
      out.write(("POST /api/dead-letters/replay HTTP/1.1\r\nHost: " + s.host() + "\r\nContent-Type: application/json\r\n"
          + "X-Dlq-Request: 1\r\nContent-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      stalled.add(k);
    }
    Thread.sleep(300); // let them reach the request threads
  }

  private void assertStillAnswers() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = s.get("/api/dead-letters");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void fourStalledBodiesDoNotFreezeTheServer() throws Exception {
    s = Served.start(b -> {});
    stall(4);
    assertStillAnswers();
  }

  @Test
  void fiftyStalledBodiesDoNotFreezeTheServer() throws Exception {
    s = Served.start(b -> {});
    stall(50);
    assertStillAnswers();
  }

  @Test
  void aStalledRequestIsClosedByTheServer() throws Exception {
    // the pom sets sun.net.httpserver.maxReqTime=2 for the tests; AdminServer's own default is 10 s
    assertThat(System.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("2");
    s = Served.start(b -> {});
    stall(1);
    Socket k = stalled.get(0);
    k.setSoTimeout(8000);
    long t0 = System.nanoTime();
    int read;
    try {
      read = k.getInputStream().read();
    } catch (java.net.SocketException e) {
      read = -1;
    }
    assertThat(read).as("closed without an answer").isEqualTo(-1);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));
  }

  @Test
  void theReplayRateIsSharedByAllRequests() throws Exception {
    int n = 8;
    double rate = 5;
    s = Served.start(Fixtures.backendWith(n), b -> b.replayRate(rate));
    ExecutorService pool = Executors.newFixedThreadPool(n);
    long t0 = System.nanoTime();
    List<Future<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String id = dev.dlq.DeadLetter.idFor(dev.dlq.SourceRef.of("memory", "orders"), "m-" + i);
      calls.add(pool.submit(() -> s.post("/api/dead-letters/" + id + "/replay", "{}")));
    }
    for (Future<HttpResponse<String>> c : calls) {
      assertThat(c.get().body()).contains("\"replayed\":1");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    pool.shutdown();
    // 8 sends at 5/s over all requests: the last may start no sooner than 7/5 s after the first
    assertThat(took).isGreaterThan(Duration.ofMillis((long) ((n - 1) / rate * 1000) - 100));
    assertThat(s.mem.size("orders")).isEqualTo(n);
  }
}
