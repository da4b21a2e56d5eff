package dev.dlq.spring;

import dev.dlq.Processor;
import dev.dlq.Worker;
import dev.dlq.spi.DlqObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * One {@link Worker} per queue that has {@link DlqProcessor} beans, started when the application
 * context has started (after every singleton exists) and closed when it stops, before the data
 * source closes. Every worker reports to {@link DlqQueues#observer()}: every {@link DlqObserver}
 * bean, the Micrometer metrics among them. Thread-safe.
 */
public final class DlqWorkers implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(DlqWorkers.class);

  private final DlqQueues queues;
  private final ListableBeanFactory beans;
  private final Map<String, Running> running = Collections.synchronizedMap(new LinkedHashMap<>());
  private AutoCloseable storeGauges;
  private volatile boolean started;

  /** A started worker and the gauges its source registered. */
  record Running(Worker worker, Gauges gauges) {}

  /**
   * Workers over {@code queues}, with the processors found in {@code beans}.
   *
   * @param queues the application's queues
   * @param beans where the {@link DlqProcessor} beans are
   */
  public DlqWorkers(DlqQueues queues, ListableBeanFactory beans) {
    this.queues = queues;
    this.beans = beans;
  }

  /** Finds the processors, then builds and starts one worker per queue that has any. */
  @Override
  public synchronized void start() {
    if (started) {
      return;
    }
    Map<String, Map<String, Processor>> byQueue = processors();
    DlqObserver shared = queues.observer();
    storeGauges = queues.deadLetterStore().registerGauges(shared);
    try {
      for (Map.Entry<String, Map<String, Processor>> e : byQueue.entrySet()) {
        String name = e.getKey();
        DlqProperties.Queue s = queues.settings(name);
        Gauges gauges = new Gauges();
        Worker.Builder b = Worker.builder(queues.queue(name).source(), new TypeDispatch(name, e.getValue()))
            .retryPolicy(RetryPolicies.of(name, s.getRetry())).concurrency(s.getConcurrency())
            .shutdownTimeout(s.getShutdownTimeout()).observer(shared).observer(gauges);
        if (s.getWorkerId() != null && !s.getWorkerId().isBlank()) {
          b.workerId(s.getWorkerId());
        }
        running.put(name, new Running(b.build().start(), gauges));
        log.info("dlq: worker for queue {} started (types {})", name, new java.util.TreeSet<>(e.getValue().keySet()));
      }
    } catch (RuntimeException ex) {
      stop();
      throw ex;
    }
    started = true;
  }

  private Map<String, Map<String, Processor>> processors() {
    Map<String, Map<String, Processor>> byQueue = new TreeMap<>();
    Map<String, String> owner = new LinkedHashMap<>();
    for (String bean : beans.getBeanNamesForAnnotation(DlqProcessor.class)) {
      DlqProcessor a = beans.findAnnotationOnBean(bean, DlqProcessor.class);
      Object target = beans.getBean(bean);
      if (!(target instanceof Processor p)) {
        throw new IllegalStateException("bean " + bean + " has @DlqProcessor but does not implement dev.dlq.Processor");
      }
      String key = a.queue() + "/" + a.type();
      String before = owner.putIfAbsent(key, bean);
      if (before != null) {
        throw new IllegalStateException("two processors for type " + a.type() + " on queue " + a.queue() + ": beans "
            + before + " and " + bean);
      }
      byQueue.computeIfAbsent(a.queue(), q -> new LinkedHashMap<>()).put(a.type(), p);
    }
    return byQueue;
  }

  /** Closes every worker, all at once (each waits up to its shutdown timeout for running processors). */
  @Override
  public synchronized void stop() {
    List<Running> all;
    synchronized (running) {
      all = new ArrayList<>(running.values());
      running.clear();
    }
    // all at once, so that the application waits for the slowest worker, not for the sum
    List<Thread> closers = new ArrayList<>();
    for (Running r : all) {
      Thread t = new Thread(() -> {
        if (!r.worker().shutdown()) {
          log.warn("dlq: worker {} did not finish in time; its unfinished tasks return when their leases end",
              r.worker().id());
        }
      }, "dlq-close-" + r.worker().id());
      t.start();
      closers.add(t);
    }
    for (Thread t : closers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (storeGauges != null) {
      try {
        storeGauges.close();
      } catch (Exception e) {
        log.debug("closing the dead-letter gauges failed", e);
      }
      storeGauges = null;
    }
    started = false;
  }

  /**
   * Whether the workers are running.
   *
   * @return true between start and stop
   */
  @Override
  public boolean isRunning() {
    return started;
  }

  /**
   * The running workers by queue name.
   *
   * @return a snapshot, empty before start and after stop
   */
  public Map<String, Worker> workers() {
    Map<String, Worker> out = new TreeMap<>();
    synchronized (running) {
      running.forEach((q, r) -> out.put(q, r.worker()));
    }
    return out;
  }

  /** The running workers with their gauges, for the health indicator. */
  Map<String, Running> running() {
    synchronized (running) {
      return new TreeMap<>(running);
    }
  }
}
