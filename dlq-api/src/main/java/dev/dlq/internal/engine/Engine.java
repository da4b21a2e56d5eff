package dev.dlq.internal.engine;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.Failure;
import dev.dlq.InvalidMessageException;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RecordResult;
import dev.dlq.RetryDecision;
import dev.dlq.Worker.CircuitState;
import dev.dlq.spi.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
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

/**
 * The worker engine: one poller thread claims at most the free capacity, {@code concurrency}
 * processing loops settle what it claimed. See {@link dev.dlq.Worker} for the contract.
 */
public final class Engine {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  private static final long IDLE_CHECK_MILLIS = 50;

  private enum State { NEW, RUNNING, STOPPING, STOPPED }

  private final EngineConfig c;
  private final Semaphore capacity;
  private final BlockingQueue<Delivery> ready = new LinkedBlockingQueue<>();
  private final Set<Delivery> claimed = ConcurrentHashMap.newKeySet();
  private final Set<Thread> loopThreads = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CountDownLatch loopsDone;
  private final Breaker breaker;
  // claimed deliveries are tracked only where there are leases to extend
  private final boolean leases;
  private final int minBatch;
  private final long lingerNanos;
  private AutoCloseable inFlightGauge;
  private volatile State state = State.NEW;
  private Thread poller;
  private ExecutorService ownedExecutor;
  private ScheduledExecutorService heartbeat;

  public Engine(EngineConfig config) {
    this.c = config;
    this.capacity = new Semaphore(config.concurrency() + config.prefetch());
    this.loopsDone = new CountDownLatch(config.concurrency());
    this.breaker = new Breaker(config.circuit(), config.metrics(), config.workerId());
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
    state = State.RUNNING;
    inFlightGauge = c.metrics().trackInFlight(inFlight::get);
    java.util.concurrent.Executor executor = c.executor();
    if (executor == null) {
      AtomicInteger n = new AtomicInteger();
      ownedExecutor = Executors.newFixedThreadPool(c.concurrency(), r -> {
        Thread t = new Thread(r, "dlq-" + c.workerId() + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      executor = ownedExecutor;
    }
    for (int i = 0; i < c.concurrency(); i++) {
      executor.execute(this::processLoop);
    }
    Duration lease = c.source().lease();
    if (leases) {
      heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dlq-" + c.workerId() + "-lease");
        t.setDaemon(true);
        return t;
      });
      long period = Math.max(lease.toMillis() / 3, 10);
      heartbeat.scheduleAtFixedRate(() -> extendLeases(lease), period, period, TimeUnit.MILLISECONDS);
    }
    poller = new Thread(this::pollLoop, "dlq-" + c.workerId() + "-poll");
    poller.setDaemon(true);
    poller.start();
  }

  // ---- polling

  private void pollLoop() {
    try {
      while (state == State.RUNNING) {
        long pause = breaker.pauseNanos();
        if (pause > 0) {
          TimeUnit.NANOSECONDS.sleep(Math.min(pause, TimeUnit.MILLISECONDS.toNanos(200)));
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
          c.metrics().pollFailed();
          c.listener().pollFailed(e);
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
          if (breaker.probing()) {
            // one probe at a time: wait for its outcome before polling again
            while (breaker.probing() && state == State.RUNNING && inFlight.get() > 0) {
              Thread.sleep(5);
            }
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
    String[] action = {"complete"};
    try {
      Message m = d.message();
      Optional<Throwable> undecodable = d.decodeFailure();
      if (undecodable.isPresent()) {
        action[0] = "dead_letter";
        deadLetter(d, m, ErrorClass.USER_ERROR, undecodable.get(), null, null, DeadLetterReason.INVALID, 0);
        return;
      }
      long t0 = System.nanoTime();
      Outcome outcome;
      try {
        outcome = c.processor().process(m);
        if (outcome == null) {
          throw new IllegalStateException("processor returned null for message " + m.id() + "; return an Outcome");
        }
      } catch (Throwable t) {
        long took = System.nanoTime() - t0;
        if (state != State.RUNNING && (t instanceof InterruptedException || Thread.currentThread().isInterrupted())) {
          action[0] = "release";
          Thread.interrupted();
          release(d);
          return;
        }
        if (t instanceof Error && !(t instanceof AssertionError) && !(t instanceof LinkageError)
            && !(t instanceof StackOverflowError)) {
          log.error("processor of {} threw {}; treating it as a failure", m.type(), t.toString());
        }
        fail(d, m, t, took, action);
        return;
      }
      long took = System.nanoTime() - t0;
      if (outcome instanceof Outcome.Success) {
        d.complete();
        breaker.record(false);
        c.metrics().succeeded(m.type(), took / 1e9);
        c.listener().succeeded(m, Duration.ofNanos(took));
      } else if (outcome instanceof Outcome.Retry r) {
        retryOrGiveUp(d, m, new Failure(m, ErrorClass.RECOVERABLE, Optional.empty(), r.delay()), null,
            "retry-requested", "the processor asked for a retry", took, action);
      } else if (outcome instanceof Outcome.DeadLetter dl) {
        action[0] = "dead_letter";
        deadLetter(d, m, ErrorClass.USER_ERROR, null, "rejected", dl.why(), DeadLetterReason.REJECTED, took);
      }
    } catch (RuntimeException e) {
      c.metrics().settleFailed(action[0]);
      c.listener().settleFailed(d, e);
      log.warn("could not {} a message of {}; it returns when its lease ends", action[0], c.source().name(), e);
    } finally {
      if (leases) {
        claimed.remove(d);
      }
      inFlight.decrementAndGet();
      capacity.release();
    }
  }

  /** Settles a thrown failure; {@code action[0]} names the settle call for error reports. */
  private void fail(Delivery d, Message m, Throwable t, long took, String[] action) {
    if (t instanceof InvalidMessageException) {
      action[0] = "dead_letter";
      deadLetter(d, m, ErrorClass.USER_ERROR, t, null, null, DeadLetterReason.INVALID, took);
      return;
    }
    ErrorClass errorClass = classify(t);
    retryOrGiveUp(d, m, Failure.of(m, errorClass, t), t, null, null, took, action);
  }

  private void retryOrGiveUp(Delivery d, Message m, Failure failure, Throwable t, String type, String text, long took,
      String[] action) {
    RetryDecision decision = c.retryPolicy().decide(failure);
    breaker.record(failure.errorClass() == ErrorClass.RECOVERABLE);
    if (decision instanceof RetryDecision.RetryAfter r) {
      action[0] = "retry";
      Attempt attempt = attempt(m, failure.errorClass(), t, type, text, took);
      d.retry(r.delay(), attempt);
      c.metrics().retried(m.type(), failure.errorClass(), took / 1e9);
      c.listener().retried(m, failure, r.delay());
      return;
    }
    action[0] = "dead_letter";
    DeadLetterReason reason = decision instanceof RetryDecision.GiveUp g ? g.reason() : DeadLetterReason.EXHAUSTED;
    deadLetter(d, m, failure.errorClass(), t, type, text, reason, took);
  }

  private void deadLetter(Delivery d, Message m, ErrorClass errorClass, Throwable t, String type, String text,
      DeadLetterReason reason, long took) {
    Attempt current = attempt(m, errorClass, t, type, text, took);
    DeadLetter dl = DeadLetters.build(m, errorClass, t, type, text, reason, c.retryPolicy().maxAttempts(errorClass),
        d.history(), current, current.at(), c.workerId(), c.format());
    RecordResult result = d.deadLetter(dl, c.sink());
    c.metrics().deadLettered(dl, result.becameDead(), took / 1e9);
    c.listener().deadLettered(dl, result);
  }

  private Attempt attempt(Message m, ErrorClass errorClass, Throwable t, String type, String text, long took) {
    String errorType = t != null ? t.getClass().getName() : type;
    String message = t != null ? String.valueOf(t.getMessage()) : text;
    return new Attempt(m.attempt(), Instant.now(c.clock()), errorClass, errorType,
        dev.dlq.DeadLetterFormat.cut(message, c.format().maxErrorMessageChars()), Duration.ofNanos(took), c.workerId());
  }

  private ErrorClass classify(Throwable t) {
    try {
      ErrorClass ec = c.classifier().classify(t);
      return ec != null ? ec : ErrorClass.UNKNOWN;
    } catch (RuntimeException e) {
      log.warn("error classifier failed on {}; using UNKNOWN", t.toString(), e);
      return ErrorClass.UNKNOWN;
    }
  }

  private void release(Delivery d) {
    d.release();
    c.metrics().released();
    c.listener().released(d.message());
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
        try {
          release(d);
        } catch (RuntimeException e) {
          c.metrics().settleFailed("release");
        } finally {
          claimed.remove(d);
          inFlight.decrementAndGet();
          capacity.release();
        }
      }
      if (!loopsDone.await(c.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        clean = false;
        log.warn("worker {}: {} messages still in flight after {}; interrupting them", c.workerId(), inFlight.get(),
            c.shutdownTimeout());
        loopThreads.forEach(Thread::interrupt);
        loopsDone.await(10, TimeUnit.SECONDS);
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
      closeQuietly(inFlightGauge);
      state = State.STOPPED;
    }
    return clean;
  }
}
