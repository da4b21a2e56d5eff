package dev.dlq.internal.replay;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetterStatus;
import dev.dlq.DlqException;
import dev.dlq.ReplayJob;
import dev.dlq.ReplayJob.State;
import dev.dlq.ReplayPlan.Settings;
import dev.dlq.ReplayRunner.Sleeper;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.ReplayStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one RUNNING job until it completes, stops, leaves RUNNING (paused or cancelled elsewhere) or
 * its thread is interrupted. Progress is written after every id; a state written by someone else
 * wins over the loop's (the loop merges its counters into it and ends). Not thread-safe: one loop
 * per job and thread.
 */
public final class JobLoop {
  private static final Logger log = LoggerFactory.getLogger(JobLoop.class);

  private final ReplayStore store;
  private final Clock clock;
  private final Sleeper sleeper;
  private final DlqObserver observer;
  private final List<String> ids;
  private ReplayJob job;
  private java.util.function.Consumer<ReplayJob> onSave = j -> {};

  public JobLoop(ReplayStore store, Clock clock, Sleeper sleeper, DlqObserver observer, ReplayJob job) {
    this.store = store;
    this.clock = clock;
    this.sleeper = sleeper;
    this.observer = observer;
    this.job = job;
    this.ids = ReplayStore.allIds(store, job.id());
  }

  /** Also tells {@code listener} the job after every write (the runner's gauges). */
  public JobLoop onSave(java.util.function.Consumer<ReplayJob> listener) {
    this.onSave = listener;
    return this;
  }

  public ReplayJob run() {
    Settings s = job.settings();
    try {
      if (job.sent() < s.canary() && job.pending() > 0) {
        while (job.sent() < s.canary() && job.pending() > 0) {
          if (!step(1)) {
            return job;
          }
        }
        sleeper.sleep(s.canaryWait());
        if (!check(true)) {
          return job;
        }
      }
      List<Double> ramp = s.ramp();
      for (int r = 0; job.pending() > 0; r = Math.min(r + 1, ramp.size() - 1)) {
        Instant stepEnd = clock.instant().plus(s.stepDuration());
        while (job.pending() > 0 && clock.instant().isBefore(stepEnd)) {
          if (!step(ramp.get(r))) {
            return job;
          }
        }
        if (!check(false)) {
          return job;
        }
      }
      return finish(State.COMPLETED, "every id processed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.info("replay job {} interrupted at {} of {}; it stays RUNNING and resumes from there", job.id(),
          job.position(), job.total());
      return job;
    } catch (RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        return job; // a shutdown interrupted a store call: resume later
      }
      log.warn("replay job {} failed at {} of {}: {}", job.id(), job.position(), job.total(), e.toString());
      return finish(State.FAILED, "store failure: " + String.valueOf(e.getMessage()));
    }
  }

  /** Processes the id at the job's position; false when the job is no longer RUNNING. */
  private boolean step(double rate) throws InterruptedException {
    String id = ids.get(job.position());
    int sent = job.sent();
    int skipped = job.skipped();
    Optional<StoredDeadLetter> cur = store.get(id);
    if (cur.isPresent() && cur.get().lastReplayId().filter(job.id()::equals).isPresent()) {
      sent++; // sent by this job before a crash, its position not yet written: never again
    } else if (cur.isEmpty() || cur.get().status() != DeadLetterStatus.PENDING) {
      skipped++;
    } else {
      sleeper.sleep(Duration.ofNanos((long) (1e9 / rate)));
      if (store.replayOne(id, job.id(), job.operator()) == ReplayStore.Outcome.SENT) {
        sent++;
        observer.replayed(store.label(), 1);
      } else {
        skipped++;
      }
    }
    return save(job.progressed(job.position() + 1, sent, skipped, job.diedAgain(), rate, clock.instant()));
  }

  /** Counts deaths among the sent ones and stops above the threshold (any death of the canary). */
  private boolean check(boolean canary) {
    int died = store.diedAgain(job.id(), ids.subList(0, job.position()));
    if (!save(job.progressed(job.position(), job.sent(), job.skipped(), died, job.rate(), clock.instant()))) {
      return false;
    }
    Settings s = job.settings();
    boolean tooMany = canary ? died > 0
        : died >= s.minDeaths() && died > s.deathThreshold() * job.sent();
    if (tooMany) {
      finish(State.STOPPED, (canary ? "the canary died again: " : "too many replayed messages died again: ") + died
          + " of " + job.sent() + " sent");
      return false;
    }
    observer.replayProgress(job);
    return true;
  }

  /** Writes {@code next}; when someone else wrote first, keeps their state and our counters. */
  private boolean save(ReplayJob next) {
    ReplayJob want = next;
    for (int i = 0; i < 32; i++) {
      Optional<ReplayJob> w = store.updateJob(want);
      if (w.isPresent()) {
        job = w.get();
        onSave.accept(job);
        return job.state() == State.RUNNING;
      }
      ReplayJob fresh = store.job(next.id()).orElseThrow(() -> new DlqException("replay job " + next.id() + " vanished"));
      want = fresh.progressed(next.position(), next.sent(), next.skipped(), next.diedAgain(),
          fresh.state() == State.RUNNING ? next.rate() : 0, clock.instant());
      if (fresh.state() != State.RUNNING) {
        observer.replayProgress(fresh);
      }
    }
    throw new DlqException("replay job " + next.id() + " kept changing under 32 tries");
  }

  private ReplayJob finish(State state, String why) {
    ReplayJob end = job;
    try {
      end = Jobs.move(store, clock, job.id(), java.util.EnumSet.of(State.RUNNING), state, why);
    } catch (IllegalStateException alreadyMoved) {
      end = store.job(job.id()).orElse(job);
    } catch (RuntimeException e) {
      log.warn("replay job {} could not be marked {}: {}", job.id(), state, e.toString());
      return job;
    }
    job = end;
    try {
      store.appendAudit(new AuditEntry(clock.instant(), job.operator(), "replay", job.target(), job.sent(),
          "replayId=" + job.id() + ", state=" + job.state() + ", skipped=" + job.skipped() + ", diedAgain="
              + job.diedAgain() + ", reason=" + job.reason()));
    } catch (RuntimeException e) {
      log.warn("replay job {}: could not write its audit entry: {}", job.id(), e.toString());
    }
    observer.replayProgress(job);
    return job;
  }
}
