package dev.dlq.postgres.internal;

import dev.dlq.ReplayJob;
import dev.dlq.spi.ReplayJobJson;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Replay jobs in {@code replay_jobs} and {@code replay_job_ids} (V5), for the runner's store SPI. */
public final class PgReplayJobs {
  private static final int BATCH = 1000;
  private final StoreOps ops;
  private final String jobs;
  private final String jobIds;
  private final String deadLetters;

  public PgReplayJobs(StoreOps ops, Sql sql) {
    this.ops = ops;
    String s = Names.quoted(sql.schema);
    this.jobs = s + ".replay_jobs";
    this.jobIds = s + ".replay_job_ids";
    this.deadLetters = sql.deadLetters();
  }

  public ReplayJob create(ReplayJob job, List<String> ids) {
    ReplayJob stored = job.withVersion(1);
    return ops.inTransaction("create replay job " + job.id(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + jobs
          + " (id, version, state, created_at, job) VALUES (?, ?, ?, ?, ?::jsonb)")) {
        Jdbc.bind(ps, stored.id(), 1L, stored.state().name(), stored.createdAt(), ReplayJobJson.write(stored));
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + jobIds
          + " (job_id, pos, dead_letter_id) SELECT ?, ? + p.pos - 1, p.id FROM unnest(?::text[]) WITH ORDINALITY AS p(id, pos)")) {
        for (int from = 0; from < ids.size(); from += BATCH) {
          List<String> part = ids.subList(from, Math.min(ids.size(), from + BATCH));
          // unnest's ordinality starts at 1 in each batch: shift it by the batch's start
          ps.setString(1, stored.id());
          ps.setInt(2, from);
          ps.setArray(3, c.createArrayOf("text", part.toArray()));
          ps.executeUpdate();
        }
      }
      return stored;
    });
  }

  public Optional<ReplayJob> update(ReplayJob next) {
    ReplayJob stored = next.withVersion(next.version() + 1);
    return ops.inTransaction("update replay job " + next.id(), c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + jobs
          + " SET version = ?, state = ?, job = ?::jsonb WHERE id = ? AND version = ?")) {
        Jdbc.bind(ps, stored.version(), stored.state().name(), ReplayJobJson.write(stored), next.id(), next.version());
        return ps.executeUpdate() == 1 ? Optional.of(stored) : Optional.empty();
      }
    });
  }

  public Optional<ReplayJob> get(String id) {
    List<ReplayJob> one = select(" WHERE id = ?", id, 1);
    return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
  }

  public List<ReplayJob> latest(int limit) {
    return select("", null, limit);
  }

  private List<ReplayJob> select(String where, String id, int limit) {
    String q = "SELECT job::text, version FROM " + jobs + where + " ORDER BY created_at DESC, id DESC LIMIT ?";
    return ops.inTransaction("read replay jobs", c -> {
      List<ReplayJob> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(q)) {
        if (id != null) {
          Jdbc.bind(ps, id, limit);
        } else {
          Jdbc.bind(ps, limit);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(ReplayJobJson.read(rs.getString(1), rs.getLong(2)));
          }
        }
      }
      return out;
    });
  }

  public List<String> ids(String jobId, int from, int limit) {
    return ops.inTransaction("read the ids of replay job " + jobId, c -> {
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT dead_letter_id FROM " + jobIds
          + " WHERE job_id = ? AND pos >= ? ORDER BY pos LIMIT ?")) {
        Jdbc.bind(ps, jobId, from, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
      return out;
    });
  }

  /** Replayed by {@code replayId} and dead again since: a death count above the replay count. */
  public int diedAgain(String replayId, List<String> ids) {
    return ops.inTransaction("count the replays of " + replayId + " that died again", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + deadLetters
          + " WHERE last_replay_id = ? AND id = ANY(?) AND status <> 'REPLAYED' AND death_count > replay_count")) {
        ps.setString(1, replayId);
        ps.setArray(2, c.createArrayOf("text", ids.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }
}
