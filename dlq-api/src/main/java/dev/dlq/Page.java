package dev.dlq;

import java.util.List;
import java.util.Optional;

/**
 * One page of a keyset-paginated listing.
 *
 * @param items the items, in the store's order (newest dead first)
 * @param nextCursor pass to {@link DeadLetterQuery#after(String)} for the next page; empty on the last
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  public Page {
    items = List.copyOf(items);
    java.util.Objects.requireNonNull(nextCursor, "nextCursor must not be null");
  }
}
