package dev.dlq.sqs.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.InMemory;
import dev.dlq.Outcome;
import dev.dlq.Worker;
import dev.dlq.contract.Settle;
import dev.dlq.spi.Delivery;
import dev.dlq.sqs.SqsEnvelope;
import dev.dlq.sqs.SqsSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * {@link SqsSource.Builder#receiveConcurrency}: several ReceiveMessage calls in flight when the
 * worker has room for more than 10, counted by an SDK interceptor on a client of the test's own,
 * against the real SQS server; and nothing those receives bring is lost or handed out twice.
 */
class SqsReceiveConcurrencyIT {
  private final Receives receives = new Receives();
  private final SqsClient sqs = SqsClient.builder()
      .region(Region.US_EAST_1)
      .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
      .endpointOverride(URI.create(SqsServer.endpoint()))
      .httpClientBuilder(UrlConnectionHttpClient.builder())
      .overrideConfiguration(o -> o.addExecutionInterceptor(receives))
      .build();
  private final String queue = SqsServer.queue("receives");

  @AfterEach
  void close() {
    sqs.close();
  }

  /** Counts the ReceiveMessage calls in flight, and the most seen at once. */
  static final class Receives implements ExecutionInterceptor {
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof ReceiveMessageRequest) {
        most.accumulateAndGet(now.incrementAndGet(), Math::max);
      }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof ReceiveMessageRequest) {
        now.decrementAndGet();
      }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof ReceiveMessageRequest) {
        now.decrementAndGet();
      }
    }
  }

  private void send(String id, String body) {
    sqs.sendMessage(SqsEnvelope.request(queue, id, "t", body.getBytes(StandardCharsets.UTF_8), Map.of()).build());
  }

  private static CompletableFuture<Object> pollInBackground(SqsSource source, int max, Duration wait,
      CompletableFuture<Thread> poller) {
    return CompletableFuture.supplyAsync(() -> {
      poller.complete(Thread.currentThread());
      try {
        return source.poll(max, wait);
      } catch (Throwable t) {
        return t;
      }
    });
  }

  @Test
  void twoReceivesAreOutAtOnceWhenTheWorkerHasRoomForTwentyAndOneWhenForTen() throws Exception {
    try (SqsSource source = SqsSource.builder(sqs, queue).build()) { // the default: 2
      assertThat(source.poll(10, Duration.ofSeconds(1))).isEmpty();
      assertThat(receives.most.get()).as("room for 10: one receive").isEqualTo(1);

      CompletableFuture<Object> polled = pollInBackground(source, 20, Duration.ofSeconds(5), new CompletableFuture<>());
      Waits.until(Duration.ofSeconds(4), "two receives out at once", () -> receives.now.get() == 2);
      send("m-1", "one");
      Object got = polled.get(10, TimeUnit.SECONDS);
      assertThat(got).isInstanceOf(List.class);
      @SuppressWarnings("unchecked")
      List<Delivery> deliveries = (List<Delivery>) got;
      assertThat(deliveries).extracting(d -> d.message().id()).containsExactly("m-1");
      Settle.complete(deliveries.get(0));
    }
    assertThat(receives.most.get()).isEqualTo(2);
  }

  @Test
  void oneReceiveAtATimeWithReceiveConcurrencyOne() throws Exception {
    try (SqsSource source = SqsSource.builder(sqs, queue).receiveConcurrency(1).build()) {
      assertThat(source.poll(40, Duration.ofSeconds(1))).isEmpty();
      send("m-1", "one");
      List<? extends Delivery> got = List.of();
      for (int i = 0; i < 5 && got.isEmpty(); i++) {
        got = source.poll(40, Duration.ofSeconds(1));
      }
      assertThat(got).extracting(d -> d.message().id()).containsExactly("m-1");
      Settle.complete(got.get(0));
    }
    assertThat(receives.most.get()).isEqualTo(1);
  }

  @Test
  void everyMessageIsProcessedOnceByAWorkerWithThreeReceivesOut() throws Exception {
    int n = 300;
    for (int from = 0; from < n; from += 10) {
      List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
      for (int i = from; i < from + 10; i++) {
        var r = SqsEnvelope.request(queue, "m-" + i, "t", ("" + i).getBytes(StandardCharsets.UTF_8), Map.of()).build();
        batch.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(r.messageBody())
            .messageAttributes(r.messageAttributes()).build());
      }
      sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(batch));
    }
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    dev.dlq.contract.CountingObserver counts = new dev.dlq.contract.CountingObserver();
    SqsSource source = SqsSource.builder(sqs, queue).receiveConcurrency(3).build();
    try (Worker w = Worker.builder(source, m -> {
      seen.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet();
      return Outcome.success();
    }).sink(InMemory.create().store()).observer(counts).concurrency(8).prefetch(32).build()) {
      w.start();
      Waits.until(Duration.ofSeconds(60), n + " messages processed", () -> counts.count("message.success") >= n);
    }
    assertThat(seen).hasSize(n);
    assertThat(seen.values()).allSatisfy(c -> assertThat(c.get()).as("calls of one message").isEqualTo(1));
    assertThat(SqsServer.depth(queue)).isZero();
    assertThat(receives.most.get()).as("receives out at once").isBetween(2, 3);
  }

  @Test
  void closeHandsBackWhatAReceiveStillOutBrought() throws Exception {
    SqsSource source = SqsSource.builder(sqs, queue).lease(Duration.ofSeconds(30)).build();
    CompletableFuture<Object> polled = pollInBackground(source, 20, Duration.ofSeconds(8), new CompletableFuture<>());
    Waits.until(Duration.ofSeconds(4), "two receives out at once", () -> receives.now.get() == 2);
    send("m-1", "one");
    assertThat((List<?>) polled.get(10, TimeUnit.SECONDS)).hasSize(1); // one receive answered, the other is still out
    Waits.until(Duration.ofSeconds(4), "the second receive still out", () -> receives.now.get() == 1);
    send("m-2", "two");
    Waits.until(Duration.ofSeconds(8), "the second receive to bring m-2", () -> receives.now.get() == 0);

    source.close(); // m-1 was handed out and never settled, m-2 never handed out: both go back at once

    List<Message> back = SqsServer.peek(queue, 2, Duration.ofSeconds(10)); // a third of the visibility
    assertThat(back).extracting(Message::body).hasSize(2);
  }

  @Test
  void anInterruptedPollHandsBackWhatEveryReceiveOutBrought() throws Exception {
    try (SqsSource source = SqsSource.builder(sqs, queue).lease(Duration.ofSeconds(30)).build()) {
      CompletableFuture<Thread> poller = new CompletableFuture<>();
      CompletableFuture<Object> polled = pollInBackground(source, 20, Duration.ofSeconds(6), poller);
      Waits.until(Duration.ofSeconds(4), "two receives out at once", () -> receives.now.get() == 2);
      poller.get().interrupt();
      Thread.sleep(200);
      send("m-1", "one"); // arrive while the interrupted poll's receives still wait
      send("m-2", "two");

      assertThat(polled.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
      List<Message> back = SqsServer.peek(queue, 2, Duration.ofSeconds(10));
      assertThat(back).as("both back long before their 30 s visibility ended").hasSize(2);
    }
  }
}
