package dev.dlq.sqs;

import dev.dlq.spi.Checks;
import dev.dlq.sqs.internal.Args;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Which dead-letter-queue messages an {@link SqsRedrive} moves: all of them, those whose dead-letter
 * id or message id is listed, or those whose attributes match; optionally only counted (dry run)
 * and at most {@code limit} of them.
 *
 * <p>Attribute matching: every given name must have exactly the given value, looked up first in
 * the DLQ message's attributes ({@value SqsEnvelope#TYPE}, {@value SqsEnvelope#ERROR_CLASS},
 * {@value SqsEnvelope#REASON} ...) and then, for a dead-letter envelope, in the original message's
 * headers. Immutable.
 *
 * @param ids dead-letter ids or message ids to move; empty unless selecting by id
 * @param attributes attribute values to match; empty unless selecting by attribute
 * @param byId whether this selects by id (an empty id list then selects nothing)
 * @param dryRun only count what matches; move nothing
 * @param limit the most messages to move (or count)
 */
public record RedriveRequest(Set<String> ids, Map<String, String> attributes, boolean byId, boolean dryRun, int limit) {
  /**
   * Checks the components and copies the collections.
   *
   * @param ids dead-letter ids or message ids to move; empty unless selecting by id
   * @param attributes attribute values to match; empty unless selecting by attribute
   * @param byId whether this selects by id (an empty id list then selects nothing)
   * @param dryRun only count what matches; move nothing
   * @param limit the most messages to move (or count)
   */
  public RedriveRequest {
    ids = Set.copyOf(Checks.notNull(ids, "ids"));
    attributes = Map.copyOf(Checks.notNull(attributes, "attributes"));
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1 but was " + limit);
    }
    if (!byId && !ids.isEmpty()) {
      throw new IllegalArgumentException("ids given but byId is false");
    }
  }

  /**
   * Every message in the dead-letter queue.
   *
   * @return the request
   */
  public static RedriveRequest all() {
    return new RedriveRequest(Set.of(), Map.of(), false, false, Integer.MAX_VALUE);
  }

  /**
   * The messages with these dead-letter ids or message ids.
   *
   * @param ids dead-letter ids or message ids
   * @return the request
   */
  public static RedriveRequest ids(Collection<String> ids) {
    Checks.notNull(ids, "ids").forEach(id -> Checks.notBlank(id, "id"));
    return new RedriveRequest(Set.copyOf(ids), Map.of(), true, false, Integer.MAX_VALUE);
  }

  /**
   * The messages whose attributes (or original headers) have all these values.
   *
   * @param attributes attribute or header values, all required
   * @return the request
   */
  public static RedriveRequest matching(Map<String, String> attributes) {
    if (Checks.notNull(attributes, "attributes").isEmpty()) {
      throw new IllegalArgumentException("attributes must name at least one attribute; use all() to move everything");
    }
    return new RedriveRequest(Set.of(), attributes, false, false, Integer.MAX_VALUE);
  }

  /**
   * This request as a dry run: count, move nothing.
   *
   * @return a copy that moves nothing
   */
  public RedriveRequest asDryRun() {
    return new RedriveRequest(ids, attributes, byId, true, limit);
  }

  /**
   * This request stopping after {@code limit} messages.
   *
   * @param limit the most messages to move; at least 1
   * @return a copy with that limit
   */
  public RedriveRequest withLimit(int limit) {
    return new RedriveRequest(ids, attributes, byId, dryRun, limit);
  }
}
