package dev.dlq.postgres.internal;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the tasks of crashed or hung workers (lease expired) to the queue with their attempt
 * counted, and dead-letters those that have used their attempt budget that way (a crash loop:
 * {@link DeadLetterReason#LEASE_EXPIRED}), in the transaction that marks them DEAD. Several
 * reapers may run at once: rows are taken with SKIP LOCKED. It also trims finished rows kept
 * for {@code keepCompleted} / {@code keepDead}.
 */
public final class Reaper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reaper.class);
  private static final int BATCH = 500;
  private static final String WORKER = "lease-reaper";

  private final QueueConfig config;
  private ScheduledExecutorService timer;

  public Reaper(QueueConfig config) {
    this.config = config;
  }

  void start(String threadName) {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(1, config.reapInterval().toMillis());
    timer.scheduleWithFixedDelay(this::runQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  private void runQuietly() {
    try {
      reap();
      trim();
    } catch (RuntimeException e) {
      log.warn("lease reaper of queue {} failed; trying again in {}", config.queue(), config.reapInterval(), e);
    }
  }

  /** One pass; returns how many expired tasks were returned or dead-lettered. */
  public int reap() {
    int total = 0;
    int n;
    do {
      n = reapBatch();
      total += n;
    } while (n == BATCH);
    return total;
  }

  private int reapBatch() {
    Instant now = config.clock().instant();
    List<DeadLetter> died = new ArrayList<>();
    List<RecordResult> results = new ArrayList<>();
    int handled;
    try (Connection c = config.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try {
        List<String[]> back = new ArrayList<>();
        List<TaskRow> deadRows = new ArrayList<>();
        List<Attempts.Death> dead = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(config.sql().expiredLeases)) {
          Jdbc.bind(ps, config.queue(), now, BATCH);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              TaskRow row = TaskRow.read(rs);
              String owner = rs.getString(8);
              Instant until = Jdbc.instant(rs, 9);
              String text = "lease of worker " + owner + " expired at " + until + " on attempt " + row.attempts()
                  + "; the worker crashed, hung or lost its connection";
              Attempt attempt = new Attempt(Math.max(1, row.attempts()), now, ErrorClass.SYSTEM_ERROR, "lease-expired",
                  text, Duration.between(until.minus(config.lease()), now).abs(), owner == null ? "" : owner);
              if (row.attempts() >= row.maxAttempts()) {
                deadRows.add(row);
                dead.add(new Attempts.Death(row.id(), row.attempts(), owner, attempt));
              } else {
                back.add(new String[] {row.id(), Json.attempt(attempt)});
              }
            }
          }
        }
        if (!back.isEmpty()) {
          String[] ids = back.stream().map(a -> a[0]).toArray(String[]::new);
          String[] attempts = back.stream().map(a -> a[1]).toArray(String[]::new);
          try (PreparedStatement ps = c.prepareStatement(config.sql().returnExpired)) {
            ps.setObject(1, Jdbc.ts(now));
            ps.setObject(2, Jdbc.ts(now));
            ps.setArray(3, c.createArrayOf("text", ids));
            ps.setArray(4, c.createArrayOf("text", attempts));
            ps.executeQuery().close();
          }
        }
        if (!dead.isEmpty()) {
          // the dead letters read the earlier attempts before the DEAD mark inserts the last one
          for (int i = 0; i < dead.size(); i++) {
            died.add(deadLetter(c, deadRows.get(i), dead.get(i).last(), now));
          }
          java.util.Set<String> held = Attempts.markDead(c, config.sql(), dead, now);
          died.removeIf(dl -> !held.contains(dl.message().id()));
          if (config.sink() == null) {
            results.addAll(DeadLetterRows.upsertAll(c, config.sql(), died, now));
          } else {
            for (DeadLetter dl : died) {
              results.add(config.sink().record(dl));
            }
          }
        }
        c.commit();
        handled = back.size() + dead.size();
        if (!back.isEmpty()) {
          log.info("returned {} tasks of queue {} whose workers' leases expired", back.size(), config.queue());
        }
      } catch (SQLException | RuntimeException e) {
        Jdbc.rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw Jdbc.failure("lease reaper of queue " + config.queue() + " failed", e);
    }
    for (int i = 0; i < died.size(); i++) {
      DeadLetter dl = died.get(i);
      if (results.get(i).becameDead()) {
        log.warn("task {} of queue {} dead-lettered after {} attempts whose leases expired (crash loop)",
            dl.message().id(), config.queue(), dl.attempts());
      }
      config.observer().deadLettered(dl, results.get(i), Duration.ZERO);
    }
    return handled;
  }

  private DeadLetter deadLetter(Connection c, TaskRow row, Attempt last, Instant now) throws SQLException {
    List<Attempt> history = new ArrayList<>();
    try {
      history.addAll(Attempts.load(c, config.sql(), row.id()));
    } catch (RuntimeException e) {
      log.warn("task {} has an unreadable history; dead-lettering it without", row.id(), e);
    }
    history.add(last);
    java.util.Map<String, String> headers;
    try {
      headers = row.headers();
    } catch (RuntimeException e) {
      headers = java.util.Map.of();
    }
    Message m = row.message(config.sourceRef(), headers);
    DeadLetter dl = DeadLetter.builder(m)
        .errorClass(ErrorClass.SYSTEM_ERROR)
        .errorType("lease-expired")
        .errorMessage(last.errorMessage())
        .attempts(Math.max(1, row.attempts()))
        .maxAttempts(row.maxAttempts())
        .firstFailureAt(history.get(0).at())
        .lastFailureAt(now)
        .deadAt(now)
        .workerId(WORKER)
        .reason(DeadLetterReason.LEASE_EXPIRED)
        .history(history)
        .build();
    return config.format().apply(dl);
  }

  /** Deletes finished rows past their keep time. */
  void trim() {
    Instant now = config.clock().instant();
    trim("DONE", now.minus(config.keepCompleted()));
    trim("DEAD", now.minus(config.keepDead()));
  }

  private void trim(String status, Instant cutoff) {
    try (Connection c = config.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(config.sql().trimFinished)) {
      c.setAutoCommit(true);
      Jdbc.bind(ps, config.queue(), status, cutoff, 1000);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw Jdbc.failure("could not trim finished tasks of queue " + config.queue(), e);
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
