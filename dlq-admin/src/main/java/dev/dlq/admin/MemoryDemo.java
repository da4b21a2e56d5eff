package dev.dlq.admin;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.Failure;
import dev.dlq.InMemory;
import dev.dlq.InvalidMessageException;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RecordResult;
import dev.dlq.RetryPolicy;
import dev.dlq.StoredDeadLetter;
import dev.dlq.Worker;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.DeadLetterStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-memory demo: a few message types that succeed, fail for a while, always fail, are
 * rejected or cannot be decoded, run through a {@link Worker}, with one line per outcome.
 */
final class MemoryDemo {
  private static final String QUEUE = "demo";
  private static final String[] TYPES = {"order.created", "payment.captured", "email.send", "invoice.issued", "refund.requested"};

  private MemoryDemo() {}

  static int run(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
    int messages = 20;
    long seed = 7;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("--messages") || a.equals("--seed")) && i + 1 < args.size()) {
        String v = args.get(++i);
        try {
          if (a.equals("--messages")) {
            messages = Integer.parseInt(v);
            if (messages < 1 || messages > 100_000) {
              throw new NumberFormatException();
            }
          } else {
            seed = Long.parseLong(v);
          }
        } catch (NumberFormatException e) {
          err.println("dlq demo: " + a + " must be a whole number" + (a.equals("--messages") ? " from 1 to 100000" : "")
              + " but was '" + v + "'");
          return 2;
        }
      } else if (!a.equals("--memory")) {
        err.println("dlq demo: unknown option '" + a + "'");
        return 2;
      }
    }

    InMemory mem = InMemory.create();
    DeadLetterStore store = mem.store();
    Random random = new Random(seed);
    for (int i = 1; i <= messages; i++) {
      String type = TYPES[random.nextInt(TYPES.length)];
      String body = type.equals("invoice.issued") && i % 2 == 0 ? "{\"invoice\": " : "{\"n\": " + i + "}";
      mem.enqueue(QUEUE, String.format("msg-%03d", i), type, body.getBytes(StandardCharsets.UTF_8), Map.of("demo", "true"));
    }

    Map<String, AtomicInteger> failuresSoFar = new ConcurrentHashMap<>();
    DlqMetrics metrics = DlqMetrics.create();
    AtomicInteger settled = new AtomicInteger();
    AtomicInteger deaths = new AtomicInteger();
    DlqObserver printer = new DlqObserver() {
      @Override
      public void succeeded(Message m, Duration took) {
        out.printf("  %-8s %-17s attempt %d  succeeded%n", m.id(), m.type(), m.attempt());
        settled.incrementAndGet();
      }

      @Override
      public void retried(Message m, dev.dlq.Attempt f, Duration delay) {
        out.printf("  %-8s %-17s attempt %d  failed (%s: %s), retry in %d ms%n", m.id(), m.type(), m.attempt(),
            f.errorClass(), f.errorMessage(), delay.toMillis());
      }

      @Override
      public void deadLettered(DeadLetter dl, RecordResult result, Duration took) {
        Message m = dl.message();
        out.printf("  %-8s %-17s attempt %d  DEAD-LETTERED (%s, %s: %s)%n", m.id(), m.type(), m.attempt(), dl.reason(),
            dl.errorClass(), dl.errorMessage());
        settled.incrementAndGet();
        deaths.incrementAndGet();
      }
    };

    out.println("dlq in-memory demo: " + messages + " messages of " + TYPES.length + " types");
    out.println("  order.created succeeds; payment.captured times out twice, then succeeds;");
    out.println("  email.send always hits a bug; refund.requested is invalid input; some invoice.issued are not JSON");
    out.println();
    long t0 = System.nanoTime();
    try (Worker worker = Worker.builder(mem.source(QUEUE), m -> process(m, failuresSoFar))
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).exponentialBackoff(Duration.ofMillis(20), Duration.ofMillis(100)).build())
        .sink(store).observer(metrics).observer(printer).concurrency(4).pollWait(Duration.ofMillis(50)).build()) {
      worker.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (settled.get() < messages && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;

    out.println();
    out.printf("summary: %d succeeded, %d retries, %d dead-lettered, in %.2f s%n", metrics.messages("success"),
        metrics.retriesTotal(), metrics.deadLetteredTotal(), seconds);
    out.println("dead letters by type: " + store.stats(DeadLetterFilter.all()).byType());
    out.println("dead letters by error class: " + store.stats(DeadLetterFilter.all()).byErrorClass());
    for (StoredDeadLetter s : store.find(DeadLetterQuery.of(DeadLetterFilter.all(), 3)).items()) {
      out.printf("  e.g. %s  %s  %s  payload=%s%n", s.id(), s.deadLetter().reason(), s.deadLetter().errorType(),
          s.deadLetter().message().payloadAsString());
    }
    return settled.get() == messages ? 0 : 1;
  }

  private static Outcome process(Message m, Map<String, AtomicInteger> failures) throws Exception {
    switch (m.type()) {
      case "payment.captured":
        if (failures.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet() <= 2) {
          throw new TimeoutException("payment gateway timed out");
        }
        return Outcome.success();
      case "email.send":
        throw new IllegalStateException("template renderer has a bug");
      case "refund.requested":
        throw new IllegalArgumentException("refund amount exceeds the order total");
      case "invoice.issued":
        if (!m.payloadAsString().trim().endsWith("}")) {
          throw new InvalidMessageException("invoice payload is not JSON");
        }
        return Outcome.success();
      default:
        if (m.payloadSize() == 0) {
          throw new IOException("empty");
        }
        return Outcome.success();
    }
  }
}
