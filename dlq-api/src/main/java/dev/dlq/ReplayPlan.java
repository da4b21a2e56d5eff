package dev.dlq;

import static dev.dlq.spi.Checks.between;
import static dev.dlq.spi.Checks.notBlank;
import static dev.dlq.spi.Checks.notNull;

import dev.dlq.spi.Checks;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link ReplayRunner} job replays, for whom, and how carefully: either named ids or every
 * PENDING dead letter matching a filter (snapshotted when the job is prepared), plus the
 * {@link Settings} of the canary, the ramp and the automatic stop. Immutable; build with
 * {@link #builder(String)}.
 *
 * @param ids the dead letters to replay, or empty to use {@code filter}
 * @param filter used when {@code ids} is empty; only PENDING dead letters are taken
 * @param operator who asked (audited, recorded on each replayed dead letter)
 * @param settings canary, ramp and stop settings
 */
public record ReplayPlan(List<String> ids, DeadLetterFilter filter, String operator, Settings settings) {
  /** The most ids one job snapshots. */
  public static final int MAX_IDS = 100_000;

  /**
   * Checks the components and copies {@code ids}.
   *
   * @param ids the dead letters to replay, or empty to use {@code filter}
   * @param filter used when {@code ids} is empty; only PENDING dead letters are taken
   * @param operator who asked (audited, recorded on each replayed dead letter)
   * @param settings canary, ramp and stop settings
   * @throws IllegalArgumentException when a component or an id is null, an id or {@code operator} is blank,
   *     or {@code ids} holds more than {@link #MAX_IDS}
   */
  public ReplayPlan {
    ids = List.copyOf(notNull(ids, "ids"));
    ids.forEach(id -> notBlank(id, "ids element"));
    notNull(filter, "filter");
    notBlank(operator, "operator");
    notNull(settings, "settings");
    if (ids.size() > MAX_IDS) {
      throw new IllegalArgumentException("ids must hold at most " + MAX_IDS + " but held " + ids.size());
    }
  }

  /**
   * A plan by {@code operator} with default settings; name the ids or a filter on the builder.
   *
   * @param operator who asks
   * @return a new builder
   */
  public static Builder builder(String operator) {
    return new Builder(operator);
  }

  /**
   * A human-readable description of what is replayed (for the audit log and listings).
   *
   * @return the id count, or the filter when no ids are named
   */
  public String describe() {
    return ids.isEmpty() ? "filter " + filter : ids.size() + " ids";
  }

  /**
   * How a job replays.
   *
   * @param maxRate the ramp's last rate, messages a second, &gt; 0
   * @param canary how many messages go first, alone; 0 for no canary
   * @param canaryWait how long to watch the canary before ramping
   * @param stepDuration how long each rate of the ramp (1, 2, 5, 10, 20, 50, ... up to {@code maxRate}) lasts
   * @param deathThreshold the job stops by itself when more than this fraction of the sent messages died again
   * @param minDeaths ... and at least this many died again (so one early death does not stop a large job)
   * @param maxIds the most dead letters a filter may snapshot; preparing a larger job fails
   */
  public record Settings(double maxRate, int canary, Duration canaryWait, Duration stepDuration, double deathThreshold,
      int minDeaths, int maxIds) {
    /** maxRate 50/s, canary 1 watched for 30 s, 30 s per ramp step, stop past 5 % deaths (at least 3), 10,000 ids. */
    public static final Settings DEFAULTS = new Settings(50, 1, Duration.ofSeconds(30), Duration.ofSeconds(30), 0.05,
        3, 10_000);

    /**
     * Checks the settings.
     *
     * @param maxRate the ramp's last rate, messages a second, &gt; 0
     * @param canary how many messages go first, alone; 0 for no canary
     * @param canaryWait how long to watch the canary before ramping
     * @param stepDuration how long each rate of the ramp (1, 2, 5, 10, 20, 50, ... up to {@code maxRate}) lasts
     * @param deathThreshold the job stops by itself when more than this fraction of the sent messages died again
     * @param minDeaths ... and at least this many died again (so one early death does not stop a large job)
     * @param maxIds the most dead letters a filter may snapshot; preparing a larger job fails
     * @throws IllegalArgumentException naming the first setting out of range: {@code maxRate} not in
     *     (0, 100000], {@code canary} not in [0, 1000], {@code canaryWait} null or negative, {@code stepDuration}
     *     null or not positive, {@code deathThreshold} not in [0, 1], {@code minDeaths} below 1, or
     *     {@code maxIds} not in [1, {@link ReplayPlan#MAX_IDS}]
     */
    public Settings {
      if (!(maxRate > 0) || maxRate > 100_000) {
        throw new IllegalArgumentException("maxRate must be > 0 and <= 100000 but was " + maxRate);
      }
      between(canary, 0, 1000, "canary");
      Checks.notNegative(canaryWait, "canaryWait");
      Checks.positive(stepDuration, "stepDuration");
      if (!(deathThreshold >= 0) || deathThreshold > 1) {
        throw new IllegalArgumentException("deathThreshold must be between 0 and 1 but was " + deathThreshold);
      }
      Checks.atLeast(minDeaths, 1, "minDeaths");
      between(maxIds, 1, MAX_IDS, "maxIds");
    }

    /**
     * The ramp: 1, 2, 5, 10, 20, 50, ... below {@code maxRate}, then {@code maxRate}.
     *
     * @return the rates in increasing order, messages a second; the last one is {@code maxRate}
     */
    public List<Double> ramp() {
      List<Double> out = new java.util.ArrayList<>();
      double[] mantissa = {1, 2, 5};
      for (double decade = 1; ; decade *= 10) {
        for (double m : mantissa) {
          double r = m * decade;
          if (r >= maxRate) {
            out.add(maxRate);
            return List.copyOf(out);
          }
          out.add(r);
        }
      }
    }
  }

  /** Builds a {@link ReplayPlan}. Mutable, not thread-safe. */
  public static final class Builder {
    private final String operator;
    private List<String> ids = List.of();
    private DeadLetterFilter filter = DeadLetterFilter.all();
    private double maxRate = Settings.DEFAULTS.maxRate();
    private int canary = Settings.DEFAULTS.canary();
    private Duration canaryWait = Settings.DEFAULTS.canaryWait();
    private Duration stepDuration = Settings.DEFAULTS.stepDuration();
    private double deathThreshold = Settings.DEFAULTS.deathThreshold();
    private int minDeaths = Settings.DEFAULTS.minDeaths();
    private int maxIds = Settings.DEFAULTS.maxIds();

    private Builder(String operator) {
      this.operator = operator;
    }

    /**
     * Replay these ids (PENDING ones; the others are skipped).
     *
     * @param ids the dead letters to replay
     * @return this builder
     */
    public Builder ids(List<String> ids) { this.ids = ids; return this; }
    /**
     * Replay the PENDING dead letters matching {@code filter} (when no ids are named).
     *
     * @param filter which dead letters to replay
     * @return this builder
     */
    public Builder filter(DeadLetterFilter filter) { this.filter = filter; return this; }
    /**
     * Replay one failure group: the PENDING dead letters with this fingerprint.
     *
     * @param fingerprint the group's fingerprint
     * @return this builder
     * @throws IllegalArgumentException when {@code fingerprint} is null or blank
     */
    public Builder group(String fingerprint) {
      this.filter = DeadLetterFilter.builder().fingerprint(notBlank(fingerprint, "fingerprint")).build();
      return this;
    }
    /**
     * The ramp's last rate ({@link Settings#maxRate()}).
     *
     * @param perSecond messages a second, &gt; 0
     * @return this builder
     */
    public Builder maxRate(double perSecond) { this.maxRate = perSecond; return this; }
    /**
     * How many messages go first, alone ({@link Settings#canary()}).
     *
     * @param count the canary's size; 0 for no canary
     * @return this builder
     */
    public Builder canary(int count) { this.canary = count; return this; }
    /**
     * How long to watch the canary before ramping ({@link Settings#canaryWait()}).
     *
     * @param d the wait, not negative
     * @return this builder
     */
    public Builder canaryWait(Duration d) { this.canaryWait = d; return this; }
    /**
     * How long each rate of the ramp lasts ({@link Settings#stepDuration()}).
     *
     * @param d the step's duration, positive
     * @return this builder
     */
    public Builder stepDuration(Duration d) { this.stepDuration = d; return this; }
    /**
     * Stop when more than {@code fraction} of the sent messages, and at least {@code minDeaths}, died again.
     *
     * @param fraction the share of sent messages, between 0 and 1
     * @param minDeaths the fewest deaths that stop the job, at least 1
     * @return this builder
     */
    public Builder stopWhenDiedAgain(double fraction, int minDeaths) {
      this.deathThreshold = fraction;
      this.minDeaths = minDeaths;
      return this;
    }
    /**
     * The most dead letters a filter may snapshot ({@link Settings#maxIds()}).
     *
     * @param maxIds between 1 and {@link ReplayPlan#MAX_IDS}
     * @return this builder
     */
    public Builder maxIds(int maxIds) { this.maxIds = maxIds; return this; }

    /**
     * Builds the plan.
     *
     * @return the plan
     * @throws IllegalArgumentException naming the first bad setting
     */
    public ReplayPlan build() {
      return new ReplayPlan(ids, filter, operator, new Settings(maxRate, canary, canaryWait, stepDuration,
          deathThreshold, minDeaths, maxIds));
    }
  }
}
