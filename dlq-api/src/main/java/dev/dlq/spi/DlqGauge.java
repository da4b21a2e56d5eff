package dev.dlq.spi;

import java.util.List;

/** The current values dlq reports through {@link DlqObserver#gauge}, with their label names. */
public enum DlqGauge {
  /** Messages claimed by a worker and not yet settled. */
  IN_FLIGHT("dlq_in_flight", "Messages claimed and not yet settled", List.of("source", "worker")),
  /** Tasks ready to run now in a queue (PostgreSQL). */
  QUEUE_READY("dlq_queue_ready", "Tasks ready to run now", List.of("source")),
  /** Age in seconds of the oldest task that is ready to run and not yet claimed (PostgreSQL). */
  QUEUE_OLDEST_READY_SECONDS("dlq_queue_oldest_ready_seconds", "Age of the oldest ready task, in seconds",
      List.of("source")),
  /** Current dead letters by status in a store. */
  DEAD_LETTERS("dlq_dead_letters", "Current dead letters by status", List.of("store", "status")),
  /** The circuit breaker of a worker: 0 closed, 1 open, 2 half-open. */
  CIRCUIT_STATE("dlq_circuit_state", "0 closed, 1 open, 2 half-open", List.of("source", "worker")),
  /** Messages a replay job of {@link dev.dlq.ReplayRunner} has sent so far. */
  REPLAY_JOB_SENT("dlq_replay_job_sent", "Messages a replay job has sent", List.of("store", "job")),
  /** Ids of a replay job's snapshot not yet processed. */
  REPLAY_JOB_PENDING("dlq_replay_job_pending", "Ids of a replay job not yet processed", List.of("store", "job")),
  /** Messages a replay job sent that died again (as of its last check). */
  REPLAY_JOB_DIED_AGAIN("dlq_replay_job_died_again", "Messages a replay job sent that died again",
      List.of("store", "job")),
  /** A replay job's current rate in messages a second (0 unless RUNNING). */
  REPLAY_JOB_RATE("dlq_replay_job_rate", "A replay job's current rate, messages a second", List.of("store", "job")),
  /** 1 while a replay job is RUNNING, else 0 (PLANNED, PAUSED, STOPPED, FAILED, CANCELLED, COMPLETED). */
  REPLAY_JOB_RUNNING("dlq_replay_job_running", "1 while a replay job is RUNNING, else 0", List.of("store", "job"));

  private final String metricName;
  private final String help;
  private final List<String> labelNames;

  DlqGauge(String metricName, String help, List<String> labelNames) {
    this.metricName = metricName;
    this.help = help;
    this.labelNames = labelNames;
  }

  /**
   * The metric name, in Prometheus form ({@code dlq_in_flight}); Micrometer adapters translate it.
   *
   * @return the metric name
   */
  public String metricName() {
    return metricName;
  }

  /**
   * One line saying what it measures.
   *
   * @return the help text
   */
  public String help() {
    return help;
  }

  /**
   * The names of its labels, in the order label values are given.
   *
   * @return an immutable list of label names
   */
  public List<String> labelNames() {
    return labelNames;
  }
}
