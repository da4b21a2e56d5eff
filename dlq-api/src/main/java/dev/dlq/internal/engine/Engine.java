package dev.dlq.internal.engine;

import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RecordResult;
import dev.dlq.Worker.CircuitState;
import dev.dlq.spi.Delivery;
import dev.dlq.spi.DlqGauge;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.Settlement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The worker's loops: one poller claims at most the free capacity, {@code concurrency} processing
 * loops run the processor, ask the {@link Decider} what to do and hand the {@link Settlement} to the
 * delivery, then take the next message while the backend makes it durable. Capacity is given back
 * when a settlement is durable, so claimed-but-unsettled messages stay bounded. Leases are extended
 * while messages are claimed; shutdown stops polling, hands back what was not started, waits for the
 * rest and closes the source. See {@link dev.dlq.Worker} for the contract.
 */
public final class Engine {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  private static final long IDLE_CHECK_MILLIS = 50;
  static final String MDC_MESSAGE_ID = "dlq.message_id";
  static final String MDC_TYPE = "dlq.type";
  static final String MDC_ATTEMPT = "dlq.attempt";
  static final String MDC_SOURCE = "dlq.source";

  private enum State { NEW, RUNNING, STOPPING, STOPPED }

  private final EngineConfig c;
  private final Decider decider;
  private final DlqObserver observer;
  private static final int FAILED_PROBES_KEPT = 4096;
  private final Semaphore capacity;
  private final BlockingQueue<Delivery> ready = new LinkedBlockingQueue<>();
  private final Set<Delivery> claimed = ConcurrentHashMap.newKeySet();
  private final Set<Thread> loopThreads = ConcurrentHashMap.newKeySet();
  // threads inside the processor right now: the only ones shutdown interrupts (never one that is settling)
  private final Set<Thread> inProcessor = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CountDownLatch loopsDone;
  private final Breaker breaker;
  /** Ids of messages whose half-open probe failed once: a second failed probe spends its attempt. */
  private final Set<String> failedProbes = java.util.Collections.newSetFromMap(
      java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
          return size() > FAILED_PROBES_KEPT;
        }
      }));
  private final boolean leases; // claimed deliveries are tracked only where there are leases to extend
  private final int minBatch;
  private final long lingerNanos;
  private final List<AutoCloseable> gauges = new ArrayList<>();
  private volatile State state = State.NEW;
  private Thread poller;
  private ExecutorService ownedExecutor;
  private ScheduledExecutorService heartbeat;

  public Engine(EngineConfig config) {
    this.c = config;
    this.observer = config.observer();
    this.decider = new Decider(config.retryPolicy(), config.classifier(), config.format(), config.workerId(),
        config.clock());
    this.capacity = new Semaphore(config.concurrency() + config.prefetch());
    this.loopsDone = new CountDownLatch(config.concurrency());
    this.breaker = new Breaker(config.circuit(), config.clock(),
        to -> observer.circuitChanged(config.workerId(), config.source().name(), to));
    Duration lease = config.source().lease();
    this.leases = !lease.isZero() && !lease.isNegative();
    this.minBatch = Math.min(config.minPollBatch(), config.concurrency() + config.prefetch());
    this.lingerNanos = config.pollLinger().toNanos();
  }

  public EngineConfig config() {
    return c;
  }

  public int inFlight() {
    return inFlight.get();
  }

  public CircuitState circuitState() {
    return breaker.state();
  }

  public synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException("worker " + c.workerId() + " was already started (state " + state + ")");
    }
    c.source().open(WorkerContext.of(c));
    state = State.RUNNING;
    List<String> labels = List.of(c.source().name(), c.workerId());
    gauges.add(observer.gauge(DlqGauge.IN_FLIGHT, labels, inFlight::get));
    gauges.add(observer.gauge(DlqGauge.CIRCUIT_STATE, labels, () -> breaker.state().ordinal()));
    java.util.concurrent.Executor executor = c.executor();
    if (executor == null) {
      AtomicInteger n = new AtomicInteger();
      ownedExecutor = Executors.newFixedThreadPool(c.concurrency(), r -> daemon(r, "dlq-" + c.workerId() + "-" + n.incrementAndGet()));
      executor = ownedExecutor;
    }
    for (int i = 0; i < c.concurrency(); i++) {
      executor.execute(this::processLoop);
    }
    Duration lease = c.source().lease();
    if (leases) {
      heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dlq-" + c.workerId() + "-lease"));
      long period = Math.max(lease.toMillis() / 3, 10);
      heartbeat.scheduleAtFixedRate(() -> extendLeases(lease), period, period, TimeUnit.MILLISECONDS);
    }
    poller = daemon(this::pollLoop, "dlq-" + c.workerId() + "-poll");
    poller.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  // ---- polling

  private void pollLoop() {
    try {
      while (state == State.RUNNING) {
        long pause = breaker.pauseMillis();
        if (pause > 0) {
          Thread.sleep(Math.min(pause, 200));
          continue;
        }
        capacity.acquire();
        int n = breaker.probing() ? 1 : 1 + capacity.drainPermits();
        if (n < minBatch && lingerNanos > 0 && !breaker.probing()) {
          // under load: let a few more slots free up so the source is asked for a real batch
          int want = minBatch - n;
          if (capacity.tryAcquire(want, lingerNanos, TimeUnit.NANOSECONDS)) {
            n += want;
          }
          n += capacity.drainPermits();
        }
        List<? extends Delivery> got;
        try {
          got = c.source().poll(n, c.pollWait());
        } catch (RuntimeException e) {
          capacity.release(n);
          observer.pollFailed(c.source().name(), e);
          log.warn("poll of {} failed; backing off {}", c.source().name(), c.pollErrorBackoff(), e);
          Thread.sleep(c.pollErrorBackoff().toMillis());
          continue;
        }
        if (got.size() > n) {
          throw new IllegalStateException("source " + c.source().name() + " returned " + got.size()
              + " deliveries when asked for at most " + n);
        }
        capacity.release(n - got.size());
        if (!got.isEmpty()) {
          inFlight.addAndGet(got.size());
          for (Delivery d : got) {
            if (leases) {
              claimed.add(d);
            }
            ready.add(d);
          }
          // one probe at a time: wait for its outcome before polling again
          while (breaker.probing() && state == State.RUNNING && inFlight.get() > 0) {
            Thread.sleep(5);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("poller of worker {} stopped on an unexpected error", c.workerId(), e);
    }
  }

  // ---- processing

  private void processLoop() {
    Thread self = Thread.currentThread();
    loopThreads.add(self);
    try {
      while (true) {
        Delivery d;
        try {
          d = ready.poll(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          if (state == State.RUNNING) {
            continue;
          }
          break;
        }
        if (d == null) {
          if (state != State.RUNNING) {
            break;
          }
          continue;
        }
        handle(d);
      }
    } finally {
      loopThreads.remove(self);
      Thread.interrupted(); // do not leak our interrupt into a pooled thread
      loopsDone.countDown();
    }
  }

  private void handle(Delivery d) {
    Message m = null;
    Settlement s = Settlement.release();
    long took = 0;
    try {
      m = d.message();
      Optional<Throwable> undecodable = d.decodeFailure();
      if (undecodable.isPresent()) {
        s = decider.onUndecodable(m, d::history, undecodable.get());
      } else {
        long t0 = System.nanoTime();
        Outcome outcome = null;
        Throwable thrown = null;
        Thread self = Thread.currentThread();
        inProcessor.add(self);
        putMdc(m);
        try {
          outcome = c.processor().process(m);
          if (outcome == null) {
            thrown = new IllegalStateException("processor returned null for message " + m.id() + "; return an Outcome");
          }
        } catch (Throwable t) {
          thrown = t;
        } finally {
          inProcessor.remove(self);
          clearMdc();
        }
        took = System.nanoTime() - t0;
        // an interrupt meant for the processor must not break the settlement that follows
        boolean interrupted = Thread.interrupted();
        if (thrown != null && state != State.RUNNING && (thrown instanceof InterruptedException || interrupted)) {
          s = Settlement.release();
        } else if (thrown != null) {
          if (thrown instanceof Error && !(thrown instanceof AssertionError) && !(thrown instanceof LinkageError)
              && !(thrown instanceof StackOverflowError)) {
            log.error("processor of {} threw {}; treating it as a failure", m.type(), thrown.toString());
          }
          s = decider.onThrowable(m, d::history, thrown, took);
        } else {
          s = decider.onOutcome(m, d::history, outcome, took);
        }
        s = throughBreaker(s, m);
      }
    } catch (RuntimeException e) {
      // deciding failed (a broken classifier or policy, an unreadable message): give it back untouched
      // after a pause, so that it is neither first in line again at once nor the next probe forever
      log.error("could not decide the outcome of a message of {}; handing it back for {}", c.source().name(),
          c.pollErrorBackoff(), e);
      s = Settlement.release(c.pollErrorBackoff());
    }
    settle(d, m, s, took);
  }

  // the processor's log lines carry the message they are about (keys documented on dev.dlq.Processor)
  private static void putMdc(Message m) {
    MDC.put(MDC_MESSAGE_ID, m.id());
    MDC.put(MDC_TYPE, m.type());
    MDC.put(MDC_ATTEMPT, Integer.toString(m.attempt()));
    MDC.put(MDC_SOURCE, m.source().toString());
  }

  private static void clearMdc() {
    MDC.remove(MDC_MESSAGE_ID);
    MDC.remove(MDC_TYPE);
    MDC.remove(MDC_ATTEMPT);
    MDC.remove(MDC_SOURCE);
  }

  /**
   * Records the outcome in the breaker. A recoverable failure the outage caused (it opened the circuit,
   * ended while it was open, or was a message's first failed half-open probe) is handed back without
   * spending an attempt, invisible until the circuit is due to close, so the next probe takes another
   * message. A message whose probe fails a second time spends that attempt like any failure: a message
   * that keeps failing on its own (a poison message, or one that times out on its first tries) cannot
   * hold the circuit open for good. It never spends the last one where the source gives attempts back
   * on release: an outage kills nothing.
   */
  private Settlement throughBreaker(Settlement s, Message m) {
    if (s instanceof Settlement.Release) {
      return s;
    }
    boolean recoverable = Decider.errorClassOf(s).filter(ec -> ec == ErrorClass.RECOVERABLE).isPresent();
    Breaker.Verdict verdict = breaker.record(recoverable);
    if (verdict == Breaker.Verdict.AS_DECIDED) {
      return s;
    }
    Settlement handBack = Settlement.release(Duration.ofMillis(breaker.openMillisLeft()));
    boolean exhausted = s instanceof Settlement.Dead dead && dead.deadLetter().reason() == DeadLetterReason.EXHAUSTED
        && c.source().releaseKeepsAttempt();
    if (verdict == Breaker.Verdict.PROBE_FAILED && !failedProbes.add(m.id())) {
      return exhausted ? handBack : s; // its second failed probe: spent, but never the last attempt
    }
    return s instanceof Settlement.Retry || exhausted ? handBack : s;
  }

  private void settle(Delivery d, Message m, Settlement s, long took) {
    CompletionStage<RecordResult> stage;
    try {
      stage = d.settle(s);
    } catch (RuntimeException e) {
      settled(d, m, s, took, null, e);
      return;
    }
    stage.whenComplete((r, e) -> settled(d, m, s, took, r, e));
  }

  private void settled(Delivery d, Message m, Settlement s, long took, RecordResult r, Throwable error) {
    try {
      if (error != null) {
        RuntimeException e = unwrap(error);
        if (m != null) {
          observer.settleFailed(m, s.action(), e);
        }
        log.warn("could not {} a message of {}; it returns when its lease ends", s.action(), c.source().name(), e);
      } else if (m != null) {
        emit(m, s, r, Duration.ofNanos(took));
      }
    } finally {
      if (leases) {
        claimed.remove(d);
      }
      inFlight.decrementAndGet();
      capacity.release();
    }
  }

  private void emit(Message m, Settlement s, RecordResult r, Duration took) {
    if (s instanceof Settlement.Complete) {
      observer.succeeded(m, took);
    } else if (s instanceof Settlement.Retry retry) {
      observer.retried(m, retry.failed(), retry.delay());
    } else if (s instanceof Settlement.Dead dead) {
      observer.deadLettered(dead.deadLetter(), r != null ? r : RecordResult.CREATED, took);
    } else {
      observer.released(m);
    }
  }

  private static RuntimeException unwrap(Throwable t) {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return e instanceof RuntimeException re ? re : new dev.dlq.DlqException("settling failed: " + e, e);
  }

  private void extendLeases(Duration lease) {
    for (Delivery d : claimed) {
      try {
        d.extendLease(lease);
      } catch (RuntimeException e) {
        log.warn("could not extend the lease of a message of {}", c.source().name(), e);
      }
    }
  }

  // ---- shutdown

  private static void closeQuietly(AutoCloseable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (Exception e) {
      log.debug("closing {} failed", c, e);
    }
  }

  public boolean shutdown() {
    synchronized (this) {
      if (state == State.STOPPED || state == State.STOPPING) {
        return true;
      }
      if (state == State.NEW) {
        state = State.STOPPED;
        closeQuietly(c.source());
        return true;
      }
      state = State.STOPPING;
    }
    boolean clean = true;
    try {
      poller.interrupt();
      poller.join(Math.max(1000, c.pollWait().toMillis() + 1000));
      // hand back what was claimed but not started
      Delivery d;
      while ((d = ready.poll()) != null) {
        Message m = null;
        try {
          m = d.message();
        } catch (RuntimeException e) {
          log.debug("an unreadable message is handed back", e);
        }
        settle(d, m, Settlement.release(), 0);
      }
      long deadline = System.nanoTime() + c.shutdownTimeout().toNanos();
      if (!loopsDone.await(c.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        clean = false;
        log.warn("worker {}: {} messages still in flight after {}; interrupting them", c.workerId(), inFlight.get(),
            c.shutdownTimeout());
        inProcessor.forEach(Thread::interrupt);
        loopsDone.await(10, TimeUnit.SECONDS);
      }
      // settlements handed to the backend: wait until they are durable before closing the source
      long until = Math.max(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
      while (inFlight.get() > 0 && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      if (inFlight.get() > 0) {
        clean = false;
        log.warn("worker {}: {} settlements not durable at shutdown; those messages return when their leases end",
            c.workerId(), inFlight.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clean = false;
    } finally {
      if (heartbeat != null) {
        heartbeat.shutdownNow();
      }
      if (ownedExecutor != null) {
        ownedExecutor.shutdownNow();
      }
      gauges.forEach(Engine::closeQuietly);
      closeQuietly(c.source());
      state = State.STOPPED;
    }
    return clean;
  }
}
