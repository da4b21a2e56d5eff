package dev.dlq.postgres.internal;

/**
 * Every statement dlq runs against its schema, in one place (docs/postgres.md explains the hot
 * ones). All are parameterised; the schema name is checked by {@link Names#schema} and quoted.
 * Times are bound from the injected clock, never the server's {@code now()}, so tests can move time.
 */
public final class Sql {
  public final String schema;
  private final String tasks;
  private final String attempts;
  private final String dl;

  // ---- tasks: enqueue

  /** id, queue, type, payload, headers, max_attempts, run_at, created_at, updated_at. */
  public final String insertTask;

  /** ids[], queue, types[], payloads[], headers[], max_attempts[], run_at[], created_at, updated_at: many rows in one statement. */
  public final String insertTasks;

  // ---- tasks: the hot path

  /** lease_owner, lease_until, updated_at, queue, now, limit. One statement: pick, lock, lease, return. */
  public final String claimBatch;
  /** ids[], attempts[], owner: delete completed tasks still held under that claim, and their failed attempts. */
  public final String deleteCompleted;
  /** finished_at, updated_at, ids[], attempts[], owner: keep completed tasks as DONE. */
  public final String markCompleted;
  /** now, now, ids[], attempts[], delays_ms[], errors[], classes[], attempt_json[], owner: reschedule failures, each failed attempt inserted. */
  public final String rescheduleFailed;
  /** updated_at, ids[], attempts[], owner: give claimed tasks back without spending an attempt. */
  public final String releaseClaimed;
  /** lease_until, ids[], attempts[], owner. */
  public final String extendLeases;
  /** finished_at, updated_at, ids[], attempts[], errors[], classes[], attempt_json[], owners[]: last attempts inserted. */
  public final String markDead;
  /** task id: its failed attempts, oldest first, one JSON object each. */
  public final String selectAttempts;
  /** queue, now: the earliest run_at of ready work not yet due. */
  public final String nextDue;
  /** now, queue, now: tasks ready to run now, and the age in seconds of the oldest of them. */
  public final String queueDepth;
  /** Dead letters by status. */
  public final String deadLettersByStatus;

  // ---- tasks: claim by id (DB-authority mode)

  /** owner, lease_until, updated_at, id, queue, now: ready, or leased by a worker whose lease expired. */
  public final String claimById;
  /**
   * id, queue: status, attempts, max_attempts, run_at, lease_owner, lease_until, last_error,
   * last_error_class, updated_at of one task of one queue.
   */
  public final String taskState;
  /** id, owner: and its failed attempts. */
  public final String deleteOwned;
  /** finished_at, updated_at, id, owner. */
  public final String markOwnedCompleted;
  /** id, owner: lock the claimed row and read what a failure needs. */
  public final String lockOwned;
  /** run_at, last_error, last_error_class, updated_at, id, attempt_json. */
  public final String rescheduleOne;
  /** lease_until, updated_at, id, owner. */
  public final String extendOne;
  /** updated_at, id, owner. */
  public final String releaseOne;

  // ---- tasks: lease reaper and trimming

  /** queue, now, limit: expired leases, locked, with what a dead letter needs. */
  public final String expiredLeases;
  /** now, now, ids[], attempt_json[]: return expired tasks to the queue, attempts kept, each expiry inserted. */
  public final String returnExpired;
  /** queue, status, cutoff, limit: and their failed attempts. */
  public final String trimFinished;

  // ---- dead letters

  /** 24 dead-letter fields, updated_at: insert, or reopen a non-PENDING record; returns death_count. */
  public final String upsertDeadLetter;
  /** created_at, updated_at, then the 22 dead-letter fields as arrays (times as text): many at once; returns id, death_count. */
  public final String upsertDeadLetters;
  public final String deadLetterColumns;
  public final String selectDeadLetter;

  // ---- replay

  /** replay_id, operator, now, now, id: claim a PENDING dead letter for a replay. */
  public final String markReplayed;
  /** id, queue, type, payload, headers, run_at, created_at, updated_at, replay_id: upsert over a finished task. */
  public final String requeueReplay;
  /** replay_id, dead_letter_id, operator, destination, at. */
  public final String insertReplay;

  // ---- audit

  /** at, operator, action, target, count, detail. */
  public final String insertAudit;
  /** limit. */
  public final String selectAudit;

  public final String notify = "SELECT pg_notify('" + Names.CHANNEL + "', ?)";

  public Sql(String schemaName) {
    this.schema = Names.schema(schemaName);
    String s = Names.quoted(schemaName);
    tasks = s + ".tasks";
    attempts = s + ".task_attempts";
    dl = s + ".dead_letters";

    insertTask = "INSERT INTO " + tasks + " (id, queue, type, payload, headers, max_attempts, run_at, created_at, updated_at)"
        + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";

    insertTasks = "INSERT INTO " + tasks + " (id, queue, type, payload, headers, max_attempts, run_at, created_at, updated_at)"
        + " SELECT u.id, ?, u.type, u.payload, u.headers::jsonb, u.max_attempts, u.run_at, ?, ?"
        + " FROM unnest(?::text[], ?::text[], ?::bytea[], ?::text[], ?::int[], ?::text[]::timestamptz[])"
        + " AS u(id, type, payload, headers, max_attempts, run_at) ON CONFLICT (id) DO NOTHING";

    String returning = " RETURNING t.id, t.type, t.payload, t.headers::text, t.attempts, t.max_attempts, t.created_at,"
        + " t.lease_until";
    // the worker's crash backstop (0: keep the row's own budget) replaces max_attempts on claim
    claimBatch = "UPDATE " + tasks + " t SET status = 'RUNNING', attempts = t.attempts + 1,"
        + " max_attempts = coalesce(nullif(?, 0), t.max_attempts), lease_owner = ?,"
        + " lease_until = ?, updated_at = ?"
        + " WHERE t.id IN (SELECT r.id FROM " + tasks + " r WHERE r.queue = ? AND r.status = 'READY' AND r.run_at <= ?"
        + " ORDER BY r.run_at LIMIT ? FOR UPDATE SKIP LOCKED)"
        + returning;
    // "held" is lease_owner = ? alone: it is set only while a row is RUNNING, and leaving status out
    // keeps the planner on the primary key instead of the lease index (full of dead entries on a busy queue)
    String held = " FROM unnest(?::text[], ?::int[]) AS c(id, attempts)"
        + " WHERE t.id = c.id AND t.attempts = c.attempts AND t.lease_owner = ?";
    // a task on its first attempt has no failed attempts: only the others look in task_attempts
    deleteCompleted = "WITH gone AS (DELETE FROM " + tasks + " t USING unnest(?::text[], ?::int[]) AS c(id, attempts)"
        + " WHERE t.id = c.id AND t.attempts = c.attempts AND t.lease_owner = ? RETURNING t.id, t.attempts),"
        + " h AS (DELETE FROM " + attempts + " a USING gone WHERE gone.attempts > 1 AND a.task_id = gone.id)"
        + " SELECT id FROM gone";
    String keep = " INSERT INTO " + attempts + " (task_id, attempt, detail) SELECT id, attempts, attempt::jsonb FROM moved"
        + " ON CONFLICT (task_id, attempt) DO UPDATE SET detail = excluded.detail";
    markCompleted = "UPDATE " + tasks + " t SET status = 'DONE', finished_at = ?, lease_owner = NULL, lease_until = NULL,"
        + " updated_at = ?" + held + " RETURNING t.id";
    rescheduleFailed = "WITH moved AS (UPDATE " + tasks + " t SET status = 'READY',"
        + " run_at = ?::timestamptz + c.delay_ms * interval '1 millisecond',"
        + " lease_owner = NULL, lease_until = NULL, last_error = c.err, last_error_class = c.cls, updated_at = ?"
        + " FROM unnest(?::text[], ?::int[], ?::bigint[], ?::text[], ?::text[], ?::text[])"
        + " AS c(id, attempts, delay_ms, err, cls, attempt)"
        + " WHERE t.id = c.id AND t.attempts = c.attempts AND t.lease_owner = ? RETURNING t.id, t.attempts, c.attempt),"
        + " kept AS (" + keep + ") SELECT id FROM moved";
    // a release gives the attempt back; with a delay (a failed probe of an open circuit) the task also waits
    releaseClaimed = "UPDATE " + tasks + " t SET status = 'READY', attempts = t.attempts - 1, lease_owner = NULL,"
        + " lease_until = NULL, updated_at = ?, run_at = CASE WHEN c.delay_ms > 0"
        + " THEN ?::timestamptz + c.delay_ms * interval '1 millisecond' ELSE t.run_at END"
        + " FROM unnest(?::text[], ?::int[], ?::bigint[]) AS c(id, attempts, delay_ms)"
        + " WHERE t.id = c.id AND t.attempts = c.attempts AND t.lease_owner = ? RETURNING t.id";
    extendLeases = "UPDATE " + tasks + " t SET lease_until = greatest(t.lease_until, ?)" + held;
    markDead = "WITH moved AS (UPDATE " + tasks + " t SET status = 'DEAD', finished_at = ?, lease_owner = NULL,"
        + " lease_until = NULL, last_error = c.err, last_error_class = c.cls, updated_at = ?"
        + " FROM unnest(?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[])"
        + " AS c(id, attempts, err, cls, attempt, owner)"
        + " WHERE t.id = c.id AND t.attempts = c.attempts AND t.lease_owner = c.owner RETURNING t.id, t.attempts, c.attempt),"
        + " kept AS (" + keep + ") SELECT id FROM moved";
    selectAttempts = "SELECT detail::text FROM " + attempts + " WHERE task_id = ? ORDER BY attempt";
    nextDue = "SELECT min(run_at) FROM " + tasks + " WHERE queue = ? AND status = 'READY' AND run_at > ?";
    queueDepth = "SELECT count(*), coalesce(extract(epoch FROM (? - min(run_at))), 0) FROM " + tasks
        + " WHERE queue = ? AND status = 'READY' AND run_at <= ?";
    deadLettersByStatus = "SELECT status, count(*) FROM " + dl + " GROUP BY status";

    claimById = "UPDATE " + tasks + " t SET status = 'RUNNING', attempts = t.attempts + 1,"
        + " max_attempts = coalesce(nullif(?, 0), t.max_attempts), lease_owner = ?,"
        + " lease_until = ?, updated_at = ?"
        + " WHERE t.id = ? AND t.queue = ? AND (t.status = 'READY'"
        + " OR (t.status = 'RUNNING' AND t.lease_until < ? AND t.attempts < t.max_attempts))"
        + returning;
    taskState = "SELECT status, attempts, max_attempts, run_at, lease_owner, lease_until, last_error, last_error_class,"
        + " updated_at FROM " + tasks + " WHERE id = ? AND queue = ?";
    deleteOwned = "WITH gone AS (DELETE FROM " + tasks + " t WHERE t.id = ? AND t.status = 'RUNNING' AND t.lease_owner = ?"
        + " RETURNING t.id), h AS (DELETE FROM " + attempts + " a USING gone WHERE a.task_id = gone.id) SELECT id FROM gone";
    markOwnedCompleted = "UPDATE " + tasks + " t SET status = 'DONE', finished_at = ?, lease_owner = NULL,"
        + " lease_until = NULL, updated_at = ? WHERE t.id = ? AND t.status = 'RUNNING' AND t.lease_owner = ? RETURNING t.id";
    lockOwned = "SELECT t.id, t.type, t.payload, t.headers::text, t.attempts, t.max_attempts, t.created_at,"
        + " t.status, t.lease_owner, t.queue FROM " + tasks + " t WHERE t.id = ? FOR UPDATE";
    rescheduleOne = "WITH moved AS (UPDATE " + tasks + " t SET status = 'READY', run_at = ?, lease_owner = NULL,"
        + " lease_until = NULL, last_error = ?, last_error_class = ?, updated_at = ? WHERE t.id = ?"
        + " RETURNING t.id, t.attempts, ?::text AS attempt)," + " kept AS (" + keep + ") SELECT id FROM moved";
    extendOne = "UPDATE " + tasks + " t SET lease_until = greatest(t.lease_until, ?), updated_at = ?"
        + " WHERE t.id = ? AND t.status = 'RUNNING' AND t.lease_owner = ? RETURNING t.id";
    releaseOne = "UPDATE " + tasks + " t SET status = 'READY', attempts = greatest(t.attempts - 1, 0), lease_owner = NULL,"
        + " lease_until = NULL, updated_at = ? WHERE t.id = ? AND t.status = 'RUNNING' AND t.lease_owner = ? RETURNING t.id";

    expiredLeases = "SELECT t.id, t.type, t.payload, t.headers::text, t.attempts, t.max_attempts, t.created_at,"
        + " t.lease_owner, t.lease_until FROM " + tasks + " t"
        + " WHERE t.queue = ? AND t.status = 'RUNNING' AND t.lease_until < ?"
        + " ORDER BY t.lease_until LIMIT ? FOR UPDATE SKIP LOCKED";
    returnExpired = "WITH moved AS (UPDATE " + tasks + " t SET status = 'READY', run_at = ?, lease_owner = NULL,"
        + " lease_until = NULL, last_error = 'lease expired', last_error_class = 'SYSTEM_ERROR', updated_at = ?"
        + " FROM unnest(?::text[], ?::text[]) AS c(id, attempt) WHERE t.id = c.id AND t.lease_owner IS NOT NULL"
        + " RETURNING t.id, t.attempts, c.attempt), kept AS (" + keep + ") SELECT id FROM moved";
    trimFinished = "WITH gone AS (DELETE FROM " + tasks + " WHERE id IN (SELECT id FROM " + tasks
        + " WHERE queue = ? AND status = ? AND finished_at < ? LIMIT ?) RETURNING id)"
        + " DELETE FROM " + attempts + " a USING gone WHERE a.task_id = gone.id";

    deadLetterColumns = "id, message_id, type, payload, headers, source_backend, source_destination, attempt, first_seen,"
        + " error_class, error_type, error_message, stack_trace, attempts, max_attempts, first_failure_at, last_failure_at,"
        + " dead_at, worker_id, reason, fingerprint, history, status, death_count, replay_count, last_replay_id,"
        + " last_replay_by, updated_at";
    String dlRead = deadLetterColumns.replace("headers,", "headers::text,").replace(" history,", " history::text,");
    upsertDeadLetter = "INSERT INTO " + dl + " AS d (id, message_id, type, payload, headers, source_backend,"
        + " source_destination, attempt, first_seen, error_class, error_type, error_message, stack_trace, attempts,"
        + " max_attempts, first_failure_at, last_failure_at, dead_at, worker_id, reason, fingerprint, history,"
        + " created_at, updated_at)"
        + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)"
        + " ON CONFLICT (id) DO UPDATE SET message_id = excluded.message_id, type = excluded.type,"
        + " payload = excluded.payload, headers = excluded.headers, source_backend = excluded.source_backend,"
        + " source_destination = excluded.source_destination, attempt = excluded.attempt,"
        + " first_seen = excluded.first_seen, error_class = excluded.error_class, error_type = excluded.error_type,"
        + " error_message = excluded.error_message, stack_trace = excluded.stack_trace, attempts = excluded.attempts,"
        + " max_attempts = excluded.max_attempts, first_failure_at = excluded.first_failure_at,"
        + " last_failure_at = excluded.last_failure_at, dead_at = excluded.dead_at, worker_id = excluded.worker_id,"
        + " reason = excluded.reason, fingerprint = excluded.fingerprint, history = excluded.history,"
        + " status = 'PENDING', death_count = d.death_count + 1, updated_at = excluded.updated_at"
        + " WHERE d.status <> 'PENDING'"
        + " RETURNING d.death_count";
    String fields = "id, message_id, type, payload, headers, source_backend, source_destination, attempt, first_seen,"
        + " error_class, error_type, error_message, stack_trace, attempts, max_attempts, first_failure_at, last_failure_at,"
        + " dead_at, worker_id, reason, fingerprint, history";
    upsertDeadLetters = "INSERT INTO " + dl + " AS d (" + fields + ", created_at, updated_at)"
        + " SELECT u.id, u.message_id, u.type, u.payload, u.headers::jsonb, u.source_backend, u.source_destination,"
        + " u.attempt, u.first_seen::timestamptz, u.error_class, u.error_type, u.error_message, u.stack_trace, u.attempts,"
        + " u.max_attempts, u.first_failure_at::timestamptz, u.last_failure_at::timestamptz, u.dead_at::timestamptz,"
        + " u.worker_id, u.reason, u.fingerprint, u.history::jsonb, ?::timestamptz, ?::timestamptz"
        + " FROM unnest(?::text[], ?::text[], ?::text[], ?::bytea[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[],"
        + " ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[],"
        + " ?::text[], ?::text[], ?::text[]) AS u(" + fields + ")"
        + upsertDeadLetter.substring(upsertDeadLetter.indexOf(" ON CONFLICT")).replace("RETURNING d.death_count",
            "RETURNING d.id, d.death_count");
    selectDeadLetter = "SELECT " + dlRead + " FROM " + dl;

    markReplayed = "UPDATE " + dl + " SET status = 'REPLAYED', replay_count = replay_count + 1, last_replay_id = ?,"
        + " last_replay_by = ?, last_replay_at = ?, updated_at = ? WHERE id = ? AND status = 'PENDING'"
        + " RETURNING " + dlRead;
    requeueReplay = "WITH r AS (INSERT INTO " + tasks + " AS t (id, queue, type, payload, headers, run_at, created_at, updated_at,"
        + " replay_id) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)"
        + " ON CONFLICT (id) DO UPDATE SET queue = excluded.queue, type = excluded.type, payload = excluded.payload,"
        + " headers = excluded.headers, status = 'READY', attempts = 0, run_at = excluded.run_at, lease_owner = NULL,"
        + " lease_until = NULL, last_error = NULL, last_error_class = NULL, replay_id = excluded.replay_id,"
        + " created_at = excluded.created_at, updated_at = excluded.updated_at, finished_at = NULL"
        + " WHERE t.status IN ('DONE', 'DEAD') RETURNING t.id),"
        // the replayed task starts over: the attempts of its earlier run stay in the dead letter only
        + " h AS (DELETE FROM " + attempts + " a USING r WHERE a.task_id = r.id) SELECT id FROM r";
    insertReplay = "INSERT INTO " + s + ".replays (replay_id, dead_letter_id, operator, destination, at)"
        + " VALUES (?, ?, ?, ?, ?)";

    insertAudit = "INSERT INTO " + s + ".audit_log (at, operator, action, target, count, detail) VALUES (?, ?, ?, ?, ?, ?)";
    selectAudit = "SELECT at, operator, action, target, count, detail FROM " + s + ".audit_log"
        + " ORDER BY at DESC, id DESC LIMIT ?";
  }

  /** The dead-letter table, qualified. */
  public String deadLetters() {
    return dl;
  }

  /** The task table, qualified. */
  public String tasks() {
    return tasks;
  }
}
