package dev.dlq;

import java.util.List;
import java.util.Optional;

/**
 * One page of a keyset-paginated listing. Immutable, and thread-safe when its items are.
 *
 * @param <T> the type of the items
 * @param items the items, in the store's order (newest dead first)
 * @param nextCursor pass to {@link DeadLetterQuery#after(String)} for the next page; empty on the last
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  /**
   * Copies the items.
   *
   * @param items the items, in the store's order
   * @param nextCursor the cursor of the next page, or empty on the last
   * @throws NullPointerException when an argument is null or {@code items} holds a null
   */
  public Page {
    items = List.copyOf(items);
    java.util.Objects.requireNonNull(nextCursor, "nextCursor must not be null");
  }
}
