package dev.dlq;

import static dev.dlq.spi.Checks.notNull;

import java.util.Optional;

/**
 * A filter plus keyset pagination: newest dead first, at most {@code limit} items, starting after the
 * opaque {@code cursor} a previous {@link Page} returned. Immutable and thread-safe.
 *
 * @param filter which dead letters
 * @param limit page size, 1 to 1000
 * @param cursor where to continue, empty for the first page
 */
public record DeadLetterQuery(DeadLetterFilter filter, int limit, Optional<String> cursor) {
  /** The largest page size. */
  public static final int MAX_LIMIT = 1000;

  /**
   * Checks the arguments.
   *
   * @param filter which dead letters
   * @param limit page size, 1 to {@value #MAX_LIMIT}
   * @param cursor where to continue, empty for the first page
   * @throws IllegalArgumentException when an argument is null or {@code limit} is out of range
   */
  public DeadLetterQuery {
    notNull(filter, "filter");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + " but was " + limit);
    }
    notNull(cursor, "cursor");
  }

  /**
   * The first page of dead letters matching {@code filter}.
   *
   * @param filter which dead letters
   * @param limit page size, 1 to {@value #MAX_LIMIT}
   * @return the query
   * @throws IllegalArgumentException when {@code filter} is null or {@code limit} is out of range
   */
  public static DeadLetterQuery of(DeadLetterFilter filter, int limit) {
    return new DeadLetterQuery(filter, limit, Optional.empty());
  }

  /**
   * The same query, continuing after {@code cursor}.
   *
   * @param cursor the {@link Page#nextCursor()} of the previous page
   * @return a new query
   * @throws IllegalArgumentException when {@code cursor} is null
   */
  public DeadLetterQuery after(String cursor) {
    return new DeadLetterQuery(filter, limit, Optional.of(notNull(cursor, "cursor")));
  }
}
