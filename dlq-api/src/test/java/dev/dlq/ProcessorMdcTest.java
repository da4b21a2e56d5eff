package dev.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.NOPMDCAdapter;

/** A processor's thread carries the message in the SLF4J MDC while it runs, and only then. */
class ProcessorMdcTest {

  /**
   * slf4j-simple, the tests' binding, ignores the MDC (a no-op adapter); logback and log4j keep it.
   * Put SLF4J's own thread-local adapter in its place so the test sees what those bindings would.
   */
  @BeforeAll
  static void realMdc() throws ReflectiveOperationException {
    if (MDC.getMDCAdapter() instanceof NOPMDCAdapter) {
      java.lang.reflect.Method set = MDC.class.getDeclaredMethod("setMDCAdapter", org.slf4j.spi.MDCAdapter.class);
      set.setAccessible(true);
      set.invoke(null, new BasicMDCAdapter());
    }
    assertThat(MDC.getMDCAdapter()).isInstanceOf(BasicMDCAdapter.class);
  }

  @Test
  void processorSeesMessageInMdcAndItIsGoneAfterwards() throws Exception {
    InMemory mem = InMemory.create();
    List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
    AtomicReference<Map<String, String>> afterLoop = new AtomicReference<>();
    AtomicReference<Thread> loopThread = new AtomicReference<>();
    Processor processor = m -> {
      seen.add(MDC.getCopyOfContextMap());
      return m.attempt() == 1 && m.type().equals("flaky") ? Outcome.retryAfter(Duration.ZERO) : Outcome.success();
    };
    // one processing loop on a thread of ours, so we can read its MDC after the loop has ended
    Worker worker = Worker.builder(mem.source("orders"), processor).sink(mem.store()).concurrency(1)
        .pollWait(Duration.ofMillis(20)).retryPolicy(RetryPolicy.fixed(Duration.ZERO, 3))
        .executor(loop -> {
          Thread t = new Thread(() -> {
            MDC.put("app.request", "r-1"); // the app's own keys survive
            loop.run();
            afterLoop.set(MDC.getCopyOfContextMap());
          }, "mdc-test-loop");
          loopThread.set(t);
          t.start();
        }).build().start();
    String id = mem.enqueue("orders", "flaky", "x".getBytes(StandardCharsets.UTF_8));
    Await.until("two attempts", () -> seen.size() == 2);
    worker.close();
    loopThread.get().join(10_000);

    assertThat(seen.get(0)).containsEntry("dlq.message_id", id).containsEntry("dlq.type", "flaky")
        .containsEntry("dlq.attempt", "1").containsEntry("dlq.source", "memory:orders")
        .containsEntry("app.request", "r-1");
    assertThat(seen.get(1)).containsEntry("dlq.message_id", id).containsEntry("dlq.attempt", "2");
    assertThat(afterLoop.get()).containsOnly(Map.entry("app.request", "r-1"));
  }
}
