package dev.dlq.sqs.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.sqs.SqsEnvelope;
import dev.dlq.sqs.SqsSource;
import dev.dlq.sqs.it.SqsServer;
import dev.dlq.spi.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker stopping interrupts its poller. The SDK aborted the interrupted ReceiveMessage after SQS
 * had already made its messages invisible, so they were lost to every consumer for a whole lease
 * (30 s), and "a worker stopped mid-batch" took that long to finish. Now the receive runs on its
 * own thread and an interrupted poll hands back what it brought.
 */
class InterruptedPollLostItsMessagesIT {

  @Test
  void anInterruptedPollHandsBackWhatItsReceiveBrought() throws Exception {
    String queue = SqsServer.queue("interrupted");
    try (SqsSource source = SqsSource.builder(SqsServer.client(), queue).lease(Duration.ofSeconds(30)).build()) {
      CompletableFuture<Thread> poller = new CompletableFuture<>();
      CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
        poller.complete(Thread.currentThread());
        try {
          source.poll(10, Duration.ofSeconds(8));
          return null;
        } catch (Throwable t) {
          return t;
        }
      });
      Thread t = poller.get(10, TimeUnit.SECONDS);
      Thread.sleep(500); // the long poll is out
      t.interrupt();
      Thread.sleep(200);
      SqsServer.client().sendMessage(SqsEnvelope.request(queue, "m-1", "t", "x".getBytes(StandardCharsets.UTF_8),
          Map.of()).build()); // arrives while the interrupted poll's receive is still waiting

      assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
      List<? extends Delivery> again = List.of();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); // a third of the visibility
      while (again.isEmpty() && System.nanoTime() < deadline) {
        again = source.poll(10, Duration.ofSeconds(1));
      }
      assertThat(again).as("the message, back long before its 30 s visibility ended").hasSize(1);
      assertThat(again.get(0).message().id()).isEqualTo("m-1");
      dev.dlq.contract.Settle.complete(again.get(0));
    }
  }
}
