package dev.dlq.spi;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.Page;
import dev.dlq.ReplayFate;
import dev.dlq.ReplayJob;
import dev.dlq.StoredDeadLetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The primitives a dead-letter store brings so that {@link dev.dlq.ReplayRunner} can replay its
 * dead letters safely; the operator logic (snapshot, canary, ramp, automatic stop, pause, resume,
 * cancel, crash recovery) is written once in the runner. The memory, PostgreSQL and NATS stores
 * implement it.
 *
 * <p>What the runner relies on: {@link #replayOne} is atomic per dead letter (of two racing calls
 * at most one sends) and records the replay id on the dead letter before or with the send, so a
 * runner that crashes after a send finds the id on the record and never sends it again; jobs are
 * written with optimistic concurrency ({@link #updateJob}), so an operator's pause written by
 * another process is never overwritten by the runner's progress.
 *
 * <p>Implementations must be thread-safe.
 */
public interface ReplayStore extends DeadLetterStore {

  /** What {@link #replayOne} did. */
  enum Outcome {
    /** Marked REPLAYED with the replay id and sent back to its source. */
    SENT,
    /** Not sent: unknown, no longer PENDING, or its source cannot be reached by this store (logged). */
    SKIPPED
  }

  /**
   * A short name for metrics and logs, e.g. {@code postgres:dlq}.
   *
   * @return the label
   */
  String label();

  /**
   * Ids of PENDING-or-not dead letters matching {@code filter}, newest dead first, keyset paged like
   * {@link #find}. The default pages through {@link #find}; a store may read ids only.
   *
   * @param filter which dead letters
   * @param cursor where to continue, empty for the first page
   * @param limit at most this many, 1 to {@link DeadLetterQuery#MAX_LIMIT}
   * @return one page of ids and the cursor of the next page
   */
  default Page<String> scanIds(DeadLetterFilter filter, Optional<String> cursor, int limit) {
    return dev.dlq.internal.Groups.findIds(this, filter, cursor, limit);
  }

  /**
   * Replays one dead letter, atomically: if it is PENDING, marks it REPLAYED with {@code replayId}
   * and {@code operator} (replay count raised) and sends the message back to its source with a fresh
   * attempt budget, payload and headers byte-exact. Writes no audit entry and tells no observer (the
   * runner does both, once per job step).
   *
   * @param id the dead letter
   * @param replayId the replay id recorded on it (the job's id)
   * @param operator who replays it, recorded on it
   * @return SENT, or SKIPPED when it was not PENDING, is unknown or cannot be routed
   * @throws dev.dlq.DlqException when the store fails; then the dead letter is not sent
   */
  Outcome replayOne(String id, String replayId, String operator);

  /**
   * Edit and replay, atomically: if dead letter {@code id} is PENDING, marks it REPLAYED with
   * {@code replayId} and {@code operator} (replay count raised), exactly as {@link #replayOne} does,
   * but sends {@code copy} (its corrected lineage child, with its own message id) to its source instead
   * of the stored message. Writes no audit entry and tells no observer ({@link dev.dlq.ReplayRunner}
   * does both, with the diff).
   *
   * @param id the dead letter corrected
   * @param copy the message to send, with a fresh attempt budget
   * @param replayId the replay id recorded on the dead letter
   * @param operator who replays it, recorded on it
   * @return SENT, or SKIPPED when it was not PENDING, is unknown or cannot be routed
   * @throws dev.dlq.DlqException when the store fails; then nothing is sent
   */
  Outcome replayCopy(String id, dev.dlq.Message copy, String replayId, String operator);

  /**
   * Appends {@code entry} to the audit log.
   *
   * @param entry the entry
   */
  void appendAudit(AuditEntry entry);

  /**
   * Keeps a new job (state PLANNED, version 1) and its snapshot of {@code ids}, all or nothing.
   *
   * @param job the new job
   * @param ids the snapshot, in replay order
   * @return the job as stored (its version set)
   */
  ReplayJob createJob(ReplayJob job, List<String> ids);

  /**
   * Writes {@code next} if the stored job is still at version {@code next.version()}.
   *
   * @param next the job to write, carrying the version it was read at
   * @return the job as stored (version raised), or empty when someone else changed it first (read it again)
   */
  Optional<ReplayJob> updateJob(ReplayJob next);

  /**
   * One job.
   *
   * @param id the job's id
   * @return the job, or empty when the store does not hold it
   */
  Optional<ReplayJob> job(String id);

  /**
   * The latest jobs, newest first.
   *
   * @param limit how many at most
   * @return the jobs
   */
  List<ReplayJob> jobs(int limit);

  /**
   * Ids {@code from} to {@code from + limit} (exclusive) of a job's snapshot, in replay order.
   *
   * @param jobId the job
   * @param from the first position, from 0
   * @param limit how many ids at most
   * @return the ids; fewer than {@code limit} at the end of the snapshot
   */
  List<String> jobIds(String jobId, int from, int limit);

  /**
   * How many of {@code ids} were replayed by {@code replayId} and died again since
   * ({@link ReplayFate#DIED_AGAIN} with that last replay id). The default reads each with {@link #get}.
   *
   * @param replayId the replay (job) id
   * @param ids the dead letters to check
   * @return how many of them died again
   */
  default int diedAgain(String replayId, List<String> ids) {
    int n = 0;
    for (String id : ids) {
      Optional<StoredDeadLetter> s = get(id);
      if (s.isPresent() && s.get().lastReplayId().filter(replayId::equals).isPresent()
          && s.get().replayFate() == ReplayFate.DIED_AGAIN) {
        n++;
      }
    }
    return n;
  }

  /**
   * {@link DeadLetterStore#replay(dev.dlq.ReplayRequest)} written once over these primitives: named
   * ids or a filter's PENDING matches, oldest first, at the request's rate, one audit entry, one
   * {@link DlqObserver#replayed} call. Stores implement {@code replay} with it.
   *
   * @param store the store that replays
   * @param request what to replay
   * @param observer told how many were sent, when any were
   * @param clock the clock of the audit entry
   * @return what the replay did
   * @throws dev.dlq.DlqException when a send fails; what was sent stays sent and is audited
   */
  static dev.dlq.ReplayResult replayDirect(ReplayStore store, dev.dlq.ReplayRequest request, DlqObserver observer,
      java.time.Clock clock) {
    return dev.dlq.internal.replay.DirectReplay.run(store, request, observer, clock);
  }

  /**
   * Reads every id of a job's snapshot (helper for stores and tests).
   *
   * @param store the store holding the job
   * @param jobId the job
   * @return the snapshot's ids, in replay order
   */
  static List<String> allIds(ReplayStore store, String jobId) {
    List<String> out = new ArrayList<>();
    for (int from = 0; ; from += 1000) {
      List<String> page = store.jobIds(jobId, from, 1000);
      out.addAll(page);
      if (page.size() < 1000) {
        return out;
      }
    }
  }
}
