package dev.dlq.postgres.internal;

import dev.dlq.postgres.NewTask;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Inserts tasks, in its own transaction or the caller's (the outbox), and notifies sleeping workers. */
public final class Enqueuer {
  private static final int CHUNK = 1000;

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
    try (PreparedStatement ps = c.prepareStatement(config.sql().insertTask)) {
      int inBatch = 0;
      for (NewTask t : tasks) {
        if (t == null) {
          throw new IllegalArgumentException("tasks must not contain null");
        }
        String id = t.id().orElseGet(() -> UUID.randomUUID().toString());
        Instant runAt = t.runAt().orElse(now);
        readyNow |= !runAt.isAfter(now);
        ps.setString(1, id);
        ps.setString(2, config.queue());
        ps.setString(3, t.type());
        ps.setBytes(4, t.payload());
        ps.setString(5, Json.headers(t.headers()));
        ps.setInt(6, t.maxAttempts().orElse(config.maxAttempts()));
        ps.setObject(7, Jdbc.ts(runAt));
        ps.setObject(8, Jdbc.ts(now));
        ps.setObject(9, Jdbc.ts(now));
        ids.add(id);
        if (tasks.size() == 1) {
          ps.executeUpdate();
        } else {
          ps.addBatch();
          if (++inBatch == CHUNK) {
            ps.executeBatch();
            inBatch = 0;
          }
        }
      }
      if (tasks.size() > 1 && inBatch > 0) {
        ps.executeBatch();
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
