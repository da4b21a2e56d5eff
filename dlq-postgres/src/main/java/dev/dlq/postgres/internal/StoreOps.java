package dev.dlq.postgres.internal;

import dev.dlq.spi.Checks;
import dev.dlq.AuditEntry;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStats;
import dev.dlq.DeadLetterStatus;
import dev.dlq.DlqException;
import dev.dlq.ErrorClass;
import dev.dlq.Message;
import dev.dlq.Page;
import dev.dlq.StoredDeadLetter;
import dev.dlq.postgres.PostgresDeadLetterStore.Retention;
import dev.dlq.postgres.Replayer;
import dev.dlq.spi.Cursors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator side of the PostgreSQL dead-letter store; see {@code PostgresDeadLetterStore}. */
public final class StoreOps {
  private static final Logger log = LoggerFactory.getLogger(StoreOps.class);
  private static final String ORDER_NEWEST = " ORDER BY dead_at DESC, id COLLATE \"C\" DESC";
  private static final String ORDER_OLDEST = " ORDER BY dead_at, id COLLATE \"C\"";
  private static final String HOUR = "date_trunc('hour', dead_at AT TIME ZONE 'UTC')";

  private final DataSource dataSource;
  private final Sql sql;
  private final Clock clock;
  private final dev.dlq.spi.DlqObserver observer;
  private final Map<String, Replayer> replayers;

  public StoreOps(DataSource dataSource, Sql sql, Clock clock, dev.dlq.spi.DlqObserver observer,
      Map<String, Replayer> replayers) {
    this.dataSource = dataSource;
    this.sql = sql;
    this.clock = clock;
    this.observer = observer;
    this.replayers = replayers;
  }

  /** Work on one connection in one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  public <T> T inTransaction(String what, Work<T> work) {
    try (Connection c = Jdbc.connect(dataSource, what)) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T t = work.run(c);
        c.commit();
        return t;
      } catch (SQLException | RuntimeException e) {
        Jdbc.rollbackQuietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw Jdbc.failure("could not " + what, e);
    }
  }

  private <T> T read(String what, Work<T> work) {
    try (Connection c = Jdbc.connect(dataSource, what)) {
      return work.run(c);
    } catch (SQLException e) {
      throw Jdbc.failure("could not " + what, e);
    }
  }

  public Page<StoredDeadLetter> find(DeadLetterQuery query) {
    Optional<Cursors.Position> after = query.cursor().map(Cursors::decode);
    Filters.Where w = Filters.where(query.filter(), after, Names.quoted(sql.schema));
    String q = sql.selectDeadLetter + w.sql() + ORDER_NEWEST + " LIMIT ?";
    return read("list dead letters", c -> {
      List<StoredDeadLetter> items = new ArrayList<>(query.limit());
      boolean more = false;
      try (PreparedStatement ps = c.prepareStatement(q)) {
        List<Object> params = new ArrayList<>(w.params());
        params.add(query.limit() + 1);
        Jdbc.bind(ps, params.toArray());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (items.size() == query.limit()) {
              more = true;
              break;
            }
            items.add(DeadLetterRows.read(rs));
          }
        }
      }
      Optional<String> next = Optional.empty();
      if (more) {
        StoredDeadLetter last = items.get(items.size() - 1);
        next = Optional.of(Cursors.encode(last.deadLetter().deadAt(), last.id()));
      }
      return new Page<>(items, next);
    });
  }

  public long count(DeadLetterFilter filter) {
    Filters.Where w = Filters.where(filter, Optional.empty(), Names.quoted(sql.schema));
    return read("count dead letters", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + sql.deadLetters() + w.sql())) {
        Jdbc.bind(ps, w.params().toArray());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  public DeadLetterStats stats(DeadLetterFilter filter) {
    Filters.Where w = Filters.where(filter, Optional.empty(), Names.quoted(sql.schema));
    String q = "SELECT type, error_class, error_type, fingerprint, status, " + HOUR + " AS hour, count(*) FROM "
        + sql.deadLetters() + w.sql() + " GROUP BY GROUPING SETS ((type), (error_class), (error_type), (fingerprint),"
        + " (status), (" + HOUR + "), ())";
    return read("compute dead-letter stats", c -> {
      long total = 0;
      Map<String, Long> byType = new HashMap<>();
      Map<ErrorClass, Long> byClass = new HashMap<>();
      Map<String, Long> byErrorType = new HashMap<>();
      Map<String, Long> byFingerprint = new HashMap<>();
      Map<DeadLetterStatus, Long> byStatus = new HashMap<>();
      Map<Instant, Long> byHour = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(q)) {
        Jdbc.bind(ps, w.params().toArray());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long n = rs.getLong(7);
            LocalDateTime hour = rs.getObject(6, LocalDateTime.class);
            // every grouped column is NOT NULL, so the one that is set names the grouping set
            if (rs.getString(1) != null) {
              byType.put(rs.getString(1), n);
            } else if (rs.getString(2) != null) {
              byClass.put(ErrorClass.valueOf(rs.getString(2)), n);
            } else if (rs.getString(3) != null) {
              byErrorType.put(rs.getString(3), n);
            } else if (rs.getString(4) != null) {
              byFingerprint.put(rs.getString(4), n);
            } else if (rs.getString(5) != null) {
              byStatus.put(DeadLetterStatus.valueOf(rs.getString(5)), n);
            } else if (hour != null) {
              byHour.put(hour.toInstant(ZoneOffset.UTC), n);
            } else {
              total = n;
            }
          }
        }
      }
      return new DeadLetterStats(total, byType, byClass, byErrorType, byFingerprint, byStatus, byHour);
    });
  }

  public Optional<StoredDeadLetter> get(String id) {
    return read("read dead letter " + id, c -> get(c, id));
  }

  private Optional<StoredDeadLetter> get(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.selectDeadLetter + " WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(DeadLetterRows.read(rs)) : Optional.empty();
      }
    }
  }

  // ---- replay

  /** Ids only, newest dead first, keyset paged like {@link #find}. */
  public Page<String> scanIds(DeadLetterFilter filter, Optional<String> cursor, int limit) {
    Optional<Cursors.Position> after = cursor.map(Cursors::decode);
    Filters.Where w = Filters.where(filter, after, Names.quoted(sql.schema));
    String q = "SELECT id, dead_at FROM " + sql.deadLetters() + w.sql() + ORDER_NEWEST + " LIMIT ?";
    return read("scan dead-letter ids", c -> {
      List<String> ids = new ArrayList<>(limit);
      Instant lastAt = null;
      boolean more = false;
      try (PreparedStatement ps = c.prepareStatement(q)) {
        List<Object> params = new ArrayList<>(w.params());
        params.add(limit + 1);
        Jdbc.bind(ps, params.toArray());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (ids.size() == limit) {
              more = true;
              break;
            }
            ids.add(rs.getString(1));
            lastAt = Jdbc.instant(rs, 2);
          }
        }
      }
      return new Page<>(ids, more ? Optional.of(Cursors.encode(lastAt, ids.get(ids.size() - 1))) : Optional.empty());
    });
  }

  /** One dead letter, in one transaction: mark REPLAYED (only if PENDING), send, record lineage. */
  public boolean replayOne(String id, String replayId, String operator) {
    return replayOne(id, null, replayId, operator);
  }

  /**
   * {@link #replayOne(String, String, String)}, sending {@code copy} (an edited lineage child) instead of
   * the stored message when it is not null; the dead letter keeps its original message.
   */
  public boolean replayOne(String id, Message copy, String replayId, String operator) {
    try {
      return inTransaction("replay dead letter " + id, c -> {
        Instant now = clock.instant();
        StoredDeadLetter s;
        try (PreparedStatement ps = c.prepareStatement(sql.markReplayed)) {
          Jdbc.bind(ps, replayId, operator, now, now, id);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return false; // unknown, not PENDING, or replayed by someone else just now
            }
            s = DeadLetterRows.read(rs);
          }
        }
        if (copy != null) {
          s = withMessage(s, copy);
        }
        Message m = s.deadLetter().message();
        String backend = m.source().backend();
        if (backend.equals("postgres")) {
          if (!requeue(c, m, replayId, now)) {
            log.warn("dead letter {} not replayed: task {} of queue {} is still queued or running", id, m.id(),
                m.source().destination());
            c.rollback();
            return false;
          }
        } else {
          Replayer replayer = replayers.get(backend);
          if (replayer == null) {
            log.warn("dead letter {} not replayed: its source is {} and no replayer is registered for backend '{}'", id,
                m.source(), backend);
            c.rollback();
            return false;
          }
          try {
            replayer.replay(s, replayId, c);
          } catch (SQLException e) {
            throw e;
          } catch (Exception e) {
            throw new DlqException("replayer for " + backend + " failed on dead letter " + id + ": " + e, e);
          }
        }
        try (PreparedStatement ps = c.prepareStatement(sql.insertReplay)) {
          Jdbc.bind(ps, replayId, id, operator, m.source().toString(), now);
          ps.executeUpdate();
        }
        return true;
      });
    } catch (dev.dlq.StoreUnavailableException e) {
      throw e; // the database is gone: skipping every id would be wrong
    } catch (DlqException e) {
      log.warn("dead letter {} not replayed: {}", id, e.getMessage());
      return false;
    }
  }

  private static StoredDeadLetter withMessage(StoredDeadLetter s, Message m) {
    dev.dlq.DeadLetter d = s.deadLetter();
    return new StoredDeadLetter(new dev.dlq.DeadLetter(d.id(), m, d.errorClass(), d.errorType(), d.errorMessage(),
        d.stackTrace(), d.attempts(), d.maxAttempts(), d.firstFailureAt(), d.lastFailureAt(), d.deadAt(), d.workerId(),
        d.reason(), d.fingerprint(), d.history()), s.status(), s.deathCount(), s.replayCount(), s.lastReplayId(),
        s.lastReplayBy(), s.updatedAt());
  }

  private boolean requeue(Connection c, Message m, String replayId, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.requeueReplay)) {
      Jdbc.bind(ps, m.id(), m.source().destination(), m.type(), m.payload(), Json.headers(m.headers()), now,
          m.firstSeen(), now, replayId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(sql.notify)) {
      ps.setString(1, Names.wakeKey(sql.schema, m.source().destination()));
      ps.execute();
    }
    return true;
  }

  // ---- resolve, discard, purge, retention

  public int transition(Collection<String> ids, String operator, String note, String action) {
    Checks.notNull(ids, "ids");
    Checks.notBlank(operator, "operator");
    List<String> list = new ArrayList<>(new LinkedHashSet<>(ids));
    for (String id : list) {
      Checks.notBlank(id, "ids element");
    }
    String update = action.equals("resolve")
        ? "UPDATE " + sql.deadLetters() + " SET status = 'RESOLVED', note = ?, updated_at = ? WHERE id = ANY(?)"
            + " AND status = 'PENDING'"
        : "UPDATE " + sql.deadLetters() + " SET status = 'DISCARDED', note = ?, updated_at = ? WHERE id = ANY(?)"
            + " AND status <> 'DISCARDED'";
    return inTransaction(action + " dead letters", c -> {
      java.sql.Array arr = c.createArrayOf("text", list.toArray());
      Set<String> found = new HashSet<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + sql.deadLetters()
          + " WHERE id = ANY(?) FOR UPDATE")) {
        ps.setArray(1, arr);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.add(rs.getString(1));
          }
        }
      }
      List<String> unknown = list.stream().filter(id -> !found.contains(id)).toList();
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("unknown dead-letter ids: " + unknown + "; nothing was changed");
      }
      int changed;
      try (PreparedStatement ps = c.prepareStatement(update)) {
        Jdbc.bind(ps, note, clock.instant(), arr);
        changed = ps.executeUpdate();
      }
      audit(c, operator, action, list.toString(), changed, note == null ? "" : note);
      return changed;
    });
  }

  public long purge(Instant cutoff, String operator) {
    return inTransaction("purge dead letters", c -> {
      long n = delete(c, " WHERE dead_at < ? AND status <> 'PENDING'", List.of(cutoff));
      audit(c, operator, "purge", "deadAt < " + cutoff, n, "");
      return n;
    });
  }

  public List<Long> retention(List<Retention> rules, String operator) {
    List<Long> out = new ArrayList<>();
    for (Retention rule : rules) {
      Checks.notNull(rule, "rules element");
      Instant cutoff = clock.instant().minus(rule.maxAge());
      StringBuilder where = new StringBuilder(" WHERE dead_at < ?");
      List<Object> params = new ArrayList<>();
      params.add(cutoff);
      rule.type().ifPresent(t -> {
        where.append(" AND type = ?");
        params.add(t);
      });
      rule.reason().ifPresent(r -> {
        where.append(" AND reason = ?");
        params.add(r.name());
      });
      if (!rule.includePending()) {
        where.append(" AND status <> 'PENDING'");
      }
      String describe = "type=" + rule.type().orElse("*") + ", reason=" + rule.reason().map(Enum::name).orElse("*")
          + ", older than " + rule.maxAge() + (rule.includePending() ? ", pending included" : "");
      out.add(inTransaction("apply retention", c -> {
        long will;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + sql.deadLetters() + where)) {
          Jdbc.bind(ps, params.toArray());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            will = rs.getLong(1);
          }
        }
        if (will == 0) {
          return 0L;
        }
        log.warn("retention ({}) is deleting {} dead letters that died before {}", describe, will, cutoff);
        long n = delete(c, where.toString(), params);
        audit(c, operator, "retention", describe, n, "cutoff=" + cutoff);
        return n;
      }));
    }
    return out;
  }

  private long delete(Connection c, String where, List<Object> params) throws SQLException {
    String q = "WITH gone AS (DELETE FROM " + sql.deadLetters() + where + " RETURNING id),"
        + " lineage AS (DELETE FROM " + Names.quoted(sql.schema) + ".replays WHERE dead_letter_id IN (SELECT id FROM gone))"
        + " SELECT count(*) FROM gone";
    try (PreparedStatement ps = c.prepareStatement(q)) {
      Jdbc.bind(ps, params.toArray());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  // ---- export, audit

  public void export(DeadLetterFilter filter, Consumer<StoredDeadLetter> sink) {
    Filters.Where w = Filters.where(filter, Optional.empty(), Names.quoted(sql.schema));
    inTransaction("export dead letters", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.selectDeadLetter + w.sql() + ORDER_OLDEST)) {
        ps.setFetchSize(500);
        Jdbc.bind(ps, w.params().toArray());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sink.accept(DeadLetterRows.read(rs));
          }
        }
      }
      return null;
    });
  }

  public List<AuditEntry> audit(int limit) {
    return read("read the audit log", c -> {
      List<AuditEntry> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.selectAudit)) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new AuditEntry(Jdbc.instant(rs, 1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getString(6)));
          }
        }
      }
      return out;
    });
  }

  public List<AuditEntry> replays(String id) {
    return read("read the replays of " + id, c -> {
      List<AuditEntry> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT at, operator, replay_id, destination FROM "
          + Names.quoted(sql.schema) + ".replays WHERE dead_letter_id = ? ORDER BY at, replay_id")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new AuditEntry(Jdbc.instant(rs, 1), rs.getString(2), "replay", id, 1,
                "replayId=" + rs.getString(3) + ", destination=" + rs.getString(4)));
          }
        }
      }
      return out;
    });
  }

  private void audit(Connection c, String operator, String action, String target, long count, String detail)
      throws SQLException {
    audit(c, new AuditEntry(clock.instant(), operator, action, target, count, detail));
  }

  private void audit(Connection c, AuditEntry e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.insertAudit)) {
      Jdbc.bind(ps, e.at(), e.operator(), e.action(), e.target(), e.count(), e.detail());
      ps.executeUpdate();
    }
  }

  /** Writes one audit entry in its own transaction. */
  public void appendAudit(AuditEntry e) {
    inTransaction("write the audit entry " + e.action(), c -> {
      audit(c, e);
      return null;
    });
  }
}
