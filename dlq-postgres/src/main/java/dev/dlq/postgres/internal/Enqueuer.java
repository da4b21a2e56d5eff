package dev.dlq.postgres.internal;

import dev.dlq.postgres.NewTask;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Inserts tasks, in its own transaction or the caller's (the outbox), and notifies sleeping workers. */
public final class Enqueuer {
  private static final int CHUNK = 5000;

  private final QueueConfig config;

  public Enqueuer(QueueConfig config) {
    this.config = config;
  }

  /** In a transaction of its own. */
  public List<String> enqueue(List<NewTask> tasks) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    try (Connection c = Jdbc.connect(config.dataSource(), "enqueue tasks to " + config.queue())) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        List<String> ids = insert(c, tasks);
        c.commit();
        return ids;
      } catch (SQLException | RuntimeException e) {
        Jdbc.rollbackQuietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw Jdbc.failure("could not enqueue " + tasks.size() + " tasks to queue " + config.queue(), e);
    }
  }

  /** In the caller's transaction on {@code c}: neither commits nor closes it. */
  public List<String> enqueue(Connection c, List<NewTask> tasks) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    try {
      return insert(c, tasks);
    } catch (SQLException e) {
      throw Jdbc.failure("could not enqueue " + tasks.size() + " tasks to queue " + config.queue(), e);
    }
  }

  private List<String> insert(Connection c, List<NewTask> tasks) throws SQLException {
    Instant now = config.clock().instant();
    List<String> ids = new ArrayList<>(tasks.size());
    boolean readyNow = false;
    if (tasks.size() == 1) {
      NewTask t = tasks.get(0);
      if (t == null) {
        throw new IllegalArgumentException("tasks must not contain null");
      }
      String id = t.id().orElseGet(() -> UUID.randomUUID().toString());
      Instant runAt = t.runAt().orElse(now);
      readyNow = !runAt.isAfter(now);
      try (PreparedStatement ps = c.prepareStatement(config.sql().insertTask)) {
        Jdbc.bind(ps, id, config.queue(), t.type(), t.payload(), Json.headers(t.headers()),
            t.maxAttempts().orElse(config.maxAttempts()), runAt, now, now);
        ps.executeUpdate();
      }
      ids.add(id);
    } else {
      for (NewTask t : tasks) {
        if (t == null) {
          throw new IllegalArgumentException("tasks must not contain null");
        }
      }
      try (PreparedStatement ps = c.prepareStatement(config.sql().insertTasks)) {
        for (int from = 0; from < tasks.size(); from += CHUNK) {
          List<NewTask> chunk = tasks.subList(from, Math.min(tasks.size(), from + CHUNK));
          int n = chunk.size();
          String[] id = new String[n];
          String[] type = new String[n];
          byte[][] payload = new byte[n][];
          String[] headers = new String[n];
          Integer[] maxAttempts = new Integer[n];
          String[] runAt = new String[n];
          for (int i = 0; i < n; i++) {
            NewTask t = chunk.get(i);
            id[i] = t.id().orElseGet(() -> UUID.randomUUID().toString());
            type[i] = t.type();
            payload[i] = t.payload();
            headers[i] = Json.headers(t.headers());
            maxAttempts[i] = t.maxAttempts().orElse(config.maxAttempts());
            Instant at = t.runAt().orElse(now);
            readyNow |= !at.isAfter(now);
            runAt[i] = at.truncatedTo(ChronoUnit.MICROS).toString();
            ids.add(id[i]);
          }
          ps.setString(1, config.queue());
          ps.setObject(2, Jdbc.ts(now));
          ps.setObject(3, Jdbc.ts(now));
          ps.setArray(4, c.createArrayOf("text", id));
          ps.setArray(5, c.createArrayOf("text", type));
          ps.setArray(6, c.createArrayOf("bytea", payload));
          ps.setArray(7, c.createArrayOf("text", headers));
          ps.setArray(8, c.createArrayOf("int4", maxAttempts));
          ps.setArray(9, c.createArrayOf("text", runAt));
          ps.executeUpdate();
        }
      }
    }
    if (readyNow) {
      try (PreparedStatement ps = c.prepareStatement(config.sql().notify)) {
        ps.setString(1, config.wakeKey());
        ps.execute();
      }
    }
    return ids;
  }
}
