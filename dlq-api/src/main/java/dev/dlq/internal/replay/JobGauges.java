package dev.dlq.internal.replay;

import dev.dlq.ReplayJob;
import dev.dlq.spi.DlqGauge;
import dev.dlq.spi.DlqObserver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress of the replay jobs a runner has seen, as gauges ({@code dlq_replay_job_*{store,job}})
 * on its observers: sent, pending, died again, rate, running. The loop updates a job after every id,
 * the runner at every state change, so a scrape reads memory only. A finished job keeps its last
 * values until more than {@link #MAX_JOBS} jobs are known (the least recently updated go first) or the
 * runner closes. Thread-safe.
 */
public final class JobGauges implements DlqObserver, AutoCloseable {
  static final int MAX_JOBS = 20;
  private static final Logger log = LoggerFactory.getLogger(JobGauges.class);

  private final DlqObserver observer;
  private final String store;
  private final Map<String, Tracked> jobs = new ConcurrentHashMap<>();

  private static final class Tracked {
    volatile ReplayJob job;
    volatile long touched;
    final List<AutoCloseable> handles = new ArrayList<>();
  }

  public JobGauges(DlqObserver observer, String store) {
    this.observer = observer;
    this.store = store;
  }

  @Override
  public void replayProgress(ReplayJob job) {
    update(job);
  }

  /** The job as it is now; registers its gauges the first time. */
  public void update(ReplayJob job) {
    boolean[] fresh = new boolean[1];
    Tracked t = jobs.computeIfAbsent(job.id(), id -> {
      fresh[0] = true;
      return new Tracked();
    });
    t.job = job;
    t.touched = System.nanoTime();
    if (fresh[0]) {
      synchronized (t) {
        List<String> labels = List.of(store, job.id());
        t.handles.add(gauge(DlqGauge.REPLAY_JOB_SENT, labels, t, ReplayJob::sent));
        t.handles.add(gauge(DlqGauge.REPLAY_JOB_PENDING, labels, t, ReplayJob::pending));
        t.handles.add(gauge(DlqGauge.REPLAY_JOB_DIED_AGAIN, labels, t, ReplayJob::diedAgain));
        t.handles.add(gauge(DlqGauge.REPLAY_JOB_RATE, labels, t, j -> j.state() == ReplayJob.State.RUNNING ? j.rate() : 0));
        t.handles.add(gauge(DlqGauge.REPLAY_JOB_RUNNING, labels, t, j -> j.state() == ReplayJob.State.RUNNING ? 1 : 0));
      }
      evict();
    }
  }

  private AutoCloseable gauge(DlqGauge g, List<String> labels, Tracked t, ToDoubleFunction<ReplayJob> read) {
    return observer.gauge(g, labels, () -> read.applyAsDouble(t.job));
  }

  private void evict() {
    while (jobs.size() > MAX_JOBS) {
      jobs.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().touched))
          .ifPresent(e -> {
            if (jobs.remove(e.getKey(), e.getValue())) {
              closeAll(e.getValue());
            }
          });
    }
  }

  private static void closeAll(Tracked t) {
    synchronized (t) {
      for (AutoCloseable h : t.handles) {
        try {
          h.close();
        } catch (Exception e) {
          log.warn("could not remove a replay job gauge: {}", e.toString());
        }
      }
      t.handles.clear();
    }
  }

  @Override
  public void close() {
    for (String id : List.copyOf(jobs.keySet())) {
      Tracked t = jobs.remove(id);
      if (t != null) {
        closeAll(t);
      }
    }
  }
}
