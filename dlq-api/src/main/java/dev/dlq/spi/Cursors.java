package dev.dlq.spi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Encodes and checks the keyset cursors of dead-letter listings (newest dead first: dead-at, then id).
 * A cursor is opaque to its reader: URL-safe base64 of the last item's dead-at time and id.
 * Stateless and thread-safe.
 */
public final class Cursors {
  private Cursors() {}

  /**
   * A position in a listing.
   *
   * @param deadAt the last item's dead-at time
   * @param id the last item's id
   */
  public record Position(Instant deadAt, String id) {
    /**
     * Whether {@code s} comes after this position in the newest-first order (it belongs to the next page).
     *
     * @param s a stored dead letter
     * @return true when it was dead earlier, or at the same time with a smaller id
     */
    public boolean precedes(dev.dlq.StoredDeadLetter s) {
      int c = s.deadLetter().deadAt().compareTo(deadAt);
      return c < 0 || (c == 0 && s.id().compareTo(id) < 0);
    }
  }

  /**
   * The cursor after an item dead at {@code deadAt} with id {@code id}.
   *
   * @param deadAt the item's dead-at time
   * @param id the item's id
   * @return the cursor
   */
  public static String encode(Instant deadAt, String id) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((deadAt.toString() + "|" + id).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The position a cursor made by {@link #encode} stands for.
   *
   * @param cursor the cursor a previous page returned
   * @return the position
   * @throws IllegalArgumentException when {@code cursor} was not made by {@link #encode}
   */
  public static Position decode(String cursor) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = s.indexOf('|');
      if (bar <= 0 || bar == s.length() - 1) {
        throw new IllegalArgumentException("malformed cursor '" + cursor + "'");
      }
      return new Position(Instant.parse(s.substring(0, bar)), s.substring(bar + 1));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException("malformed cursor '" + cursor + "': pass back a cursor a previous page returned", e);
    }
  }
}
