package dev.dlq.it;

import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.nats.JetStreamDlq;
import dev.dlq.spi.Source;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A worker process for {@link NatsRestartIT}: drains a JetStream consumer, appends the id of every
 * message it processed to a file (one line each, flushed, so a SIGKILL loses none), fails messages
 * of type "poison" until they are dead-lettered, and runs until it is killed.
 *
 * <p>Arguments: natsUrl subjectPrefix stream consumer processedFile
 */
public final class NatsCrashableWorker {
  static final RetryPolicy POLICY = RetryPolicy.fixed(Duration.ofMillis(100), 3);

  private NatsCrashableWorker() {}

  public static void main(String[] args) throws Exception {
    JetStreamDlq nats = JetStreamDlq.builder(args[1]).servers(args[0]).build();
    Source source = nats.source(args[2], args[3]).ackWait(Duration.ofSeconds(2)).build();
    PrintWriter processed = new PrintWriter(new FileOutputStream(args[4], true), false, StandardCharsets.UTF_8);
    Worker worker = Worker.builder(source, m -> {
      if (m.type().equals("poison")) {
        throw new IllegalStateException("poison message " + m.id());
      }
      Thread.sleep(10);
      synchronized (processed) {
        processed.println(m.id());
        processed.flush();
      }
      return Outcome.success();
    }).sink(nats.store()).retryPolicy(POLICY).concurrency(4).pollWait(Duration.ofMillis(200))
        .pollErrorBackoff(Duration.ofMillis(200)).build();
    worker.start();
    System.out.println("started " + ProcessHandle.current().pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
