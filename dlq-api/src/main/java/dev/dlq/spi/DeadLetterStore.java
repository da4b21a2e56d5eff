package dev.dlq.spi;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStats;
import dev.dlq.Page;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.StoredDeadLetter;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The query and operator side of a dead-letter store. Every changing action names its operator and
 * is written to the audit log. Bad input (unknown ids, malformed cursors) raises
 * {@link IllegalArgumentException} and changes nothing.
 *
 * <p>Thread-safe.
 */
public interface DeadLetterStore extends DeadLetterSink {

  /**
   * A page of dead letters, newest dead first.
   *
   * @param query the filter, page size and cursor
   * @return the page and the cursor of the next one
   */
  Page<StoredDeadLetter> find(DeadLetterQuery query);

  /**
   * How many match.
   *
   * @param filter which dead letters
   * @return how many match {@code filter}
   */
  long count(DeadLetterFilter filter);

  /**
   * Counts by type, error class, error type, fingerprint, status and hour.
   *
   * @param filter which dead letters to count
   * @return the counts
   */
  DeadLetterStats stats(DeadLetterFilter filter);

  /**
   * One dead letter.
   *
   * @param id its id
   * @return the dead letter, or empty when the store does not hold it
   */
  Optional<StoredDeadLetter> get(String id);

  /**
   * Sends PENDING dead letters back to their original destination with a fresh attempt budget and
   * marks them REPLAYED. Two racing replays of one dead letter send it once.
   *
   * @param request which dead letters, by whom, how fast
   * @return what the replay did
   */
  ReplayResult replay(ReplayRequest request);

  /**
   * Marks these PENDING dead letters RESOLVED; returns how many changed.
   *
   * @param ids the dead letters
   * @param operator who resolves them (audited)
   * @param note a free-text note kept in the audit entry
   * @return how many changed
   */
  int resolve(Collection<String> ids, String operator, String note);

  /**
   * Marks these dead letters DISCARDED; returns how many changed.
   *
   * @param ids the dead letters
   * @param operator who discards them (audited)
   * @param note a free-text note kept in the audit entry
   * @return how many changed
   */
  int discard(Collection<String> ids, String operator, String note);

  /**
   * Deletes dead letters that died before {@code cutoff} and are not PENDING; returns how many.
   *
   * @param cutoff dead letters that died before this instant are deleted
   * @param operator who purges (audited)
   * @return how many were deleted
   */
  long purge(Instant cutoff, String operator);

  /**
   * Streams every match, oldest first, to {@code sink} (for export).
   *
   * @param filter which dead letters
   * @param sink called once per match, in order
   */
  void export(DeadLetterFilter filter, Consumer<StoredDeadLetter> sink);

  /**
   * The latest audit entries, newest first.
   *
   * @param limit how many at most, at least 1
   * @return the entries
   */
  java.util.List<AuditEntry> audit(int limit);

  /**
   * The failure groups of the dead letters matching {@code filter}, biggest first (then newest):
   * fingerprint, count, pending count, first and last seen, types and a sample error. The default
   * streams {@link #export}; a store may group in its database.
   *
   * @param filter which dead letters to group
   * @param limit at most this many groups, 1 to 1000
   * @return the groups
   */
  default java.util.List<dev.dlq.FailureGroup> groups(DeadLetterFilter filter, int limit) {
    Checks.notNull(filter, "filter");
    Checks.between(limit, 1, 1000, "limit");
    dev.dlq.internal.Groups acc = new dev.dlq.internal.Groups();
    export(filter, acc);
    return acc.biggest(limit);
  }

  /**
   * Resolves every PENDING dead letter of the failure group {@code fingerprint}; audited like
   * {@link #resolve}. Returns how many changed.
   *
   * @param fingerprint the failure group
   * @param operator who resolves them (audited)
   * @param note a free-text note kept in the audit entry
   * @return how many changed
   */
  default int resolveGroup(String fingerprint, String operator, String note) {
    return dev.dlq.internal.Groups.apply(this, fingerprint, ids -> resolve(ids, operator, note));
  }

  /**
   * Discards every PENDING dead letter of the failure group {@code fingerprint}; audited like
   * {@link #discard}. Returns how many changed.
   *
   * @param fingerprint the failure group
   * @param operator who discards them (audited)
   * @param note a free-text note kept in the audit entry
   * @return how many changed
   */
  default int discardGroup(String fingerprint, String operator, String note) {
    return dev.dlq.internal.Groups.apply(this, fingerprint, ids -> discard(ids, operator, note));
  }
}
