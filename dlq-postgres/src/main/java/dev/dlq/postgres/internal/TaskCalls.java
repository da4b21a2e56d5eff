package dev.dlq.postgres.internal;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.DlqException;
import dev.dlq.ErrorClass;
import dev.dlq.RecordResult;
import dev.dlq.postgres.PostgresTaskState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one-task calls of DB-authority mode (a transport such as SQS carries task ids; the task
 * table decides): claim by id, complete, fail, extend, release, and reading one task's state. Each runs in its own transaction.
 */
public final class TaskCalls {

  private final QueueConfig config;
  private volatile Boolean sinkIsOwnTable;

  public TaskCalls(QueueConfig config) {
    this.config = config;
  }

  /** Whether the configured sink declared this schema's transaction scope: then it is written in the task's transaction. */
  private boolean sinkIsOwnTable() {
    Boolean own = sinkIsOwnTable;
    if (own == null) {
      own = config.sink() == null
          || config.sink().transactionScope().equals(java.util.Optional.of(Scope.of(config.dataSource(), config.sql().schema)));
      sinkIsOwnTable = own;
    }
    return own;
  }

  /** A claimed row plus its lease and its earlier failed attempts. */
  public record Claimed(TaskRow row, Map<String, String> headers, Instant leaseUntil, List<Attempt> history) {}

  /** What a fail call did: status is RESCHEDULED, DEAD or NOT_HELD. */
  public record Failed(String status, int attempts, Instant nextRunAt, DeadLetter deadLetter, RecordResult recorded) {}

  /** @param maxAttempts the claiming worker's crash backstop, written on the row; 0 keeps the row's own */
  public Optional<Claimed> claim(String id, String owner, Duration lease, int maxAttempts) {
    Instant now = config.clock().instant();
    try (Connection c = Jdbc.connect(config.dataSource(), "claim task " + id);
        PreparedStatement ps = c.prepareStatement(config.sql().claimById)) {
      c.setAutoCommit(true);
      Jdbc.bind(ps, maxAttempts, owner, now.plus(lease), now, id, config.queue(), now);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        TaskRow row = TaskRow.read(rs);
        Map<String, String> headers;
        try {
          headers = row.headers();
        } catch (RuntimeException e) {
          headers = Map.of();
        }
        Instant until = Jdbc.instant(rs, 8);
        List<Attempt> history = row.attempts() <= 1 ? List.of() : Attempts.load(c, config.sql(), id);
        return Optional.of(new Claimed(row, headers, until, history));
      }
    } catch (SQLException e) {
      throw Jdbc.failure("could not claim task " + id + " of queue " + config.queue(), e);
    }
  }

  /** One task's row of this queue as a {@link PostgresTaskState}; empty when this queue has no task {@code id}. */
  public Optional<PostgresTaskState> state(String id) {
    try (Connection c = Jdbc.connect(config.dataSource(), "read the state of task " + id);
        PreparedStatement ps = c.prepareStatement(config.sql().taskState)) {
      c.setAutoCommit(true);
      Jdbc.bind(ps, id, config.queue());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        // status is NOT NULL with a CHECK: an unknown one means a newer schema than this code
        PostgresTaskState.Status status = column(PostgresTaskState.Status.class, id, "status", rs.getString(1))
            .orElseThrow(() -> new DlqException("task " + id + " has no status in the task table"));
        return Optional.of(new PostgresTaskState(id, status, rs.getInt(2), rs.getInt(3), Jdbc.instant(rs, 4),
            Optional.ofNullable(rs.getString(5)), Optional.ofNullable(Jdbc.instant(rs, 6)),
            Optional.ofNullable(rs.getString(7)), column(ErrorClass.class, id, "last_error_class", rs.getString(8)),
            Jdbc.instant(rs, 9)));
      }
    } catch (SQLException e) {
      throw Jdbc.failure("could not read the state of task " + id + " of queue " + config.queue(), e);
    }
  }

  /** An enum column of task {@code id}: empty when NULL, a clear error for a value this version does not know. */
  private static <E extends Enum<E>> Optional<E> column(Class<E> type, String id, String column, String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Enum.valueOf(type, value));
    } catch (IllegalArgumentException e) {
      throw new DlqException("task " + id + " has an unknown " + column + " '" + value + "' in the task table", e);
    }
  }

  public boolean complete(String id, String owner) {
    Instant now = config.clock().instant();
    boolean keep = !config.keepCompleted().isZero();
    try (Connection c = Jdbc.connect(config.dataSource(), "complete task " + id);
        PreparedStatement ps = c.prepareStatement(keep ? config.sql().markOwnedCompleted : config.sql().deleteOwned)) {
      c.setAutoCommit(true);
      if (keep) {
        Jdbc.bind(ps, now, now, id, owner);
      } else {
        Jdbc.bind(ps, id, owner);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw Jdbc.failure("could not complete task " + id + " of queue " + config.queue(), e);
    }
  }

  public boolean extend(String id, String owner, Duration extension) {
    Instant now = config.clock().instant();
    return one(config.sql().extendOne, "extend the lease of task " + id, now.plus(extension), now, id, owner);
  }

  public boolean release(String id, String owner) {
    return one(config.sql().releaseOne, "release task " + id, config.clock().instant(), id, owner);
  }

  private boolean one(String statement, String what, Object... params) {
    try (Connection c = Jdbc.connect(config.dataSource(), what);
        PreparedStatement ps = c.prepareStatement(statement)) {
      c.setAutoCommit(true);
      Jdbc.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw Jdbc.failure("could not " + what + " of queue " + config.queue(), e);
    }
  }

  /**
   * Records a failed attempt: reschedules after {@code delay} unless the task has used its attempt
   * budget, or, when {@code deadLetter} is given, marks it DEAD with that dead letter.
   */
  public Failed fail(String id, String owner, Duration delay, Attempt failed, DeadLetter deadLetter) {
    Instant now = config.clock().instant();
    try (Connection c = Jdbc.connect(config.dataSource(), "fail task " + id)) {
      c.setAutoCommit(false);
      try {
        Failed f = fail(c, id, owner, delay, failed, deadLetter, now);
        c.commit();
        return f;
      } catch (SQLException | RuntimeException e) {
        Jdbc.rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw Jdbc.failure("could not record the failure of task " + id + " of queue " + config.queue(), e);
    }
  }

  private Failed fail(Connection c, String id, String owner, Duration delay, Attempt failed, DeadLetter given,
      Instant now) throws SQLException {
    TaskRow row;
    try (PreparedStatement ps = c.prepareStatement(config.sql().lockOwned)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return new Failed("NOT_HELD", 0, null, null, null);
        }
        row = TaskRow.read(rs);
        if (!"RUNNING".equals(rs.getString(8)) || !owner.equals(rs.getString(9))
            || !config.queue().equals(rs.getString(10))) {
          return new Failed("NOT_HELD", row.attempts(), null, null, null);
        }
      }
    }
    Attempt last = failed;
    if (last == null) {
      List<Attempt> h = given.history();
      last = !h.isEmpty() ? h.get(h.size() - 1) : new Attempt(Math.max(1, row.attempts()), now, given.errorClass(),
          given.errorType(), given.errorMessage(), Duration.ZERO, owner);
    }
    String error = DeadLetterRows.text(Settler.errorText(last));
    if (given == null && row.attempts() < row.maxAttempts()) {
      Instant at = now.plus(delay);
      try (PreparedStatement ps = c.prepareStatement(config.sql().rescheduleOne)) {
        Jdbc.bind(ps, at, error, last.errorClass().name(), now, id, Json.attempt(last));
        ps.executeQuery().close();
      }
      return new Failed("RESCHEDULED", row.attempts(), at, null, null);
    }
    DeadLetter dl = given != null ? given : exhausted(c, row, last, owner, now);
    if (Attempts.markDead(c, config.sql(), List.of(new Attempts.Death(id, row.attempts(), owner, last)), now).isEmpty()) {
      return new Failed("NOT_HELD", row.attempts(), null, null, null); // cannot happen: the row is locked
    }
    RecordResult r = sinkIsOwnTable() ? DeadLetterRows.upsert(c, config.sql(), dl, now) : config.sink().record(dl);
    return new Failed("DEAD", row.attempts(), null, dl, r);
  }

  private DeadLetter exhausted(Connection c, TaskRow row, Attempt last, String owner, Instant now)
      throws SQLException {
    List<Attempt> history = new ArrayList<>();
    try {
      history.addAll(Attempts.load(c, config.sql(), row.id()));
    } catch (RuntimeException e) {
      // an unreadable history is not worth losing the dead letter over
    }
    history.add(last);
    Map<String, String> headers;
    try {
      headers = row.headers();
    } catch (RuntimeException e) {
      headers = Map.of();
    }
    ErrorClass ec = last.errorClass();
    DeadLetter dl = DeadLetter.builder(row.message(config.sourceRef(), headers))
        .errorClass(ec)
        .errorType(last.errorType())
        .errorMessage(last.errorMessage())
        .attempts(Math.max(1, row.attempts()))
        .maxAttempts(row.maxAttempts())
        .firstFailureAt(history.get(0).at())
        .lastFailureAt(last.at())
        .deadAt(now)
        .workerId(owner)
        .reason(DeadLetterReason.EXHAUSTED)
        .history(history)
        .build();
    return config.format().apply(dl);
  }
}
