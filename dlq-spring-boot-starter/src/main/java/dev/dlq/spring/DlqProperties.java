package dev.dlq.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code dlq.*} settings of a Spring Boot application.
 *
 * <pre>
 * dlq.postgres.schema=dlq
 * dlq.postgres.migrate=false
 * dlq.queues.orders.concurrency=8
 * dlq.queues.orders.lease=30s
 * dlq.queues.orders.retry.preset=exponential
 * dlq.queues.orders.retry.max-attempts=5
 * dlq.queues.orders.retry.initial-backoff=200ms
 * dlq.queues.orders.retry.max-backoff=30s
 * dlq.health.max-oldest-ready=5m
 * </pre>
 *
 * <p>Mutable, as Spring binds it; read once at startup.
 */
@ConfigurationProperties(prefix = "dlq")
public class DlqProperties {
  private final Postgres postgres = new Postgres();
  private final Map<String, Queue> queues = new LinkedHashMap<>();
  private final Health health = new Health();

  /** Creates the defaults; Spring binds the settings onto them. */
  public DlqProperties() {}

  /**
   * The PostgreSQL settings ({@code dlq.postgres.*}).
   *
   * @return the PostgreSQL settings
   */
  public Postgres getPostgres() {
    return postgres;
  }

  /**
   * The queues by name ({@code dlq.queues.<name>.*}); a queue named by a processor or the outbox
   * but not here has the defaults.
   *
   * @return the queues by name
   */
  public Map<String, Queue> getQueues() {
    return queues;
  }

  /**
   * The health indicator's settings ({@code dlq.health.*}).
   *
   * @return the health settings
   */
  public Health getHealth() {
    return health;
  }

  /** {@code dlq.postgres.*}: where dlq's tables are and who creates them. */
  public static class Postgres {
    private String schema = "dlq";
    private boolean migrate;

    /** Creates the defaults. */
    public Postgres() {}

    /**
     * The schema of dlq's tables; default "dlq".
     *
     * @return the schema
     */
    public String getSchema() {
      return schema;
    }

    /**
     * Sets the schema of dlq's tables.
     *
     * @param schema a plain identifier
     */
    public void setSchema(String schema) {
      this.schema = schema;
    }

    /**
     * Whether startup runs {@code PostgresSchema.migrate}; default false: startup only verifies the
     * schema (Flyway, Liquibase or {@code dlq migrate} own it).
     *
     * @return true to migrate at startup
     */
    public boolean isMigrate() {
      return migrate;
    }

    /**
     * Sets whether startup migrates the schema.
     *
     * @param migrate true to migrate at startup
     */
    public void setMigrate(boolean migrate) {
      this.migrate = migrate;
    }
  }

  /** {@code dlq.queues.<name>.*}: one queue and its worker. */
  public static class Queue {
    private int concurrency = 4;
    private Duration lease = Duration.ofSeconds(30);
    private Duration shutdownTimeout = Duration.ofSeconds(20);
    private String workerId;
    private final Retry retry = new Retry();

    /** Creates the defaults. */
    public Queue() {}

    /**
     * Processor calls at once; default 4.
     *
     * @return the concurrency
     */
    public int getConcurrency() {
      return concurrency;
    }

    /**
     * Sets the processor calls at once.
     *
     * @param concurrency at least 1
     */
    public void setConcurrency(int concurrency) {
      this.concurrency = concurrency;
    }

    /**
     * How long a claim holds a task unless the worker extends it; default 30 s.
     *
     * @return the lease
     */
    public Duration getLease() {
      return lease;
    }

    /**
     * Sets the lease.
     *
     * @param lease positive
     */
    public void setLease(Duration lease) {
      this.lease = lease;
    }

    /**
     * How long shutdown waits for running processors; default 20 s (Spring waits 30 s per phase).
     *
     * @return the shutdown timeout
     */
    public Duration getShutdownTimeout() {
      return shutdownTimeout;
    }

    /**
     * Sets the shutdown timeout.
     *
     * @param shutdownTimeout zero or more
     */
    public void setShutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = shutdownTimeout;
    }

    /**
     * The worker id (attempts, dead letters, metrics); default the queue's source name and the host name.
     *
     * @return the worker id, or null for the default
     */
    public String getWorkerId() {
      return workerId;
    }

    /**
     * Sets the worker id.
     *
     * @param workerId a stable id (a pod name)
     */
    public void setWorkerId(String workerId) {
      this.workerId = workerId;
    }

    /**
     * The retry policy ({@code dlq.queues.<name>.retry.*}).
     *
     * @return the retry settings
     */
    public Retry getRetry() {
      return retry;
    }
  }

  /** {@code dlq.queues.<name>.retry.*}: the retry policy, which is also the attempt budget. */
  public static class Retry {
    private String preset = "conservative";
    private Integer maxAttempts;
    private Duration backoff;
    private Duration initialBackoff;
    private Duration maxBackoff;

    /** Creates the defaults. */
    public Retry() {}

    /**
     * {@code conservative} (default), {@code aggressive}, {@code none}, {@code fixed} or {@code exponential}.
     *
     * @return the preset
     */
    public String getPreset() {
      return preset;
    }

    /**
     * Sets the preset.
     *
     * @param preset the preset's name
     */
    public void setPreset(String preset) {
      this.preset = preset;
    }

    /**
     * Attempts in all, for {@code fixed} and {@code exponential}; default 5.
     *
     * @return the attempts, or null when not set
     */
    public Integer getMaxAttempts() {
      return maxAttempts;
    }

    /**
     * Sets the attempts in all.
     *
     * @param maxAttempts at least 1
     */
    public void setMaxAttempts(Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    /**
     * The delay of {@code fixed}; default 1 s.
     *
     * @return the delay, or null when not set
     */
    public Duration getBackoff() {
      return backoff;
    }

    /**
     * Sets the delay of {@code fixed}.
     *
     * @param backoff zero or more
     */
    public void setBackoff(Duration backoff) {
      this.backoff = backoff;
    }

    /**
     * The first delay of {@code exponential}, doubling per attempt with full jitter; default 200 ms.
     *
     * @return the first delay, or null when not set
     */
    public Duration getInitialBackoff() {
      return initialBackoff;
    }

    /**
     * Sets the first delay of {@code exponential}.
     *
     * @param initialBackoff positive
     */
    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    /**
     * The cap of {@code exponential}; default 30 s.
     *
     * @return the cap, or null when not set
     */
    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    /**
     * Sets the cap of {@code exponential}.
     *
     * @param maxBackoff at least the initial backoff
     */
    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }
  }

  /** {@code dlq.health.*}: when the health indicator says DOWN. */
  public static class Health {
    private Duration maxOldestReady;

    /** Creates the defaults. */
    public Health() {}

    /**
     * DOWN when a queue's oldest ready task is older than this; default none (only an open circuit
     * breaker is DOWN).
     *
     * @return the age, or null for none
     */
    public Duration getMaxOldestReady() {
      return maxOldestReady;
    }

    /**
     * Sets the age past which a waiting task makes the queue DOWN.
     *
     * @param maxOldestReady positive, or null for none
     */
    public void setMaxOldestReady(Duration maxOldestReady) {
      this.maxOldestReady = maxOldestReady;
    }
  }
}
