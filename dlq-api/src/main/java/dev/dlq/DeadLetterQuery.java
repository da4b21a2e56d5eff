package dev.dlq;

import static dev.dlq.spi.Checks.notNull;

import java.util.Optional;

/**
 * A filter plus keyset pagination: newest dead first, at most {@code limit} items, starting after the
 * opaque {@code cursor} a previous {@link Page} returned.
 *
 * @param filter which dead letters
 * @param limit page size, 1 to 1000
 * @param cursor where to continue, empty for the first page
 */
public record DeadLetterQuery(DeadLetterFilter filter, int limit, Optional<String> cursor) {
  public static final int MAX_LIMIT = 1000;

  public DeadLetterQuery {
    notNull(filter, "filter");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + " but was " + limit);
    }
    notNull(cursor, "cursor");
  }

  public static DeadLetterQuery of(DeadLetterFilter filter, int limit) {
    return new DeadLetterQuery(filter, limit, Optional.empty());
  }

  /** The same query, continuing after {@code cursor}. */
  public DeadLetterQuery after(String cursor) {
    return new DeadLetterQuery(filter, limit, Optional.of(notNull(cursor, "cursor")));
  }
}
