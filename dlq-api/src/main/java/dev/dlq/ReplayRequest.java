package dev.dlq;

import static dev.dlq.spi.Checks.notBlank;
import static dev.dlq.spi.Checks.notNull;

import java.util.List;
import java.util.Optional;

/**
 * Which dead letters to send back to their sources, by whom, how fast. Only PENDING dead letters are
 * replayed; the others are counted as skipped. A replay gives the message a fresh attempt budget and
 * keeps its id, payload and headers byte-exact.
 *
 * @param ids the dead letters to replay, or empty to use {@code filter}
 * @param filter used when {@code ids} is empty
 * @param operator who asked (audited)
 * @param ratePerSecond at most this many messages a second; 0 for no limit
 * @param dryRun count what would be replayed and change nothing
 */
public record ReplayRequest(List<String> ids, DeadLetterFilter filter, String operator, double ratePerSecond,
    boolean dryRun) {
  /**
   * Checks the components and copies {@code ids}.
   *
   * @param ids the dead letters to replay, or empty to use {@code filter}
   * @param filter used when {@code ids} is empty
   * @param operator who asked (audited)
   * @param ratePerSecond at most this many messages a second; 0 for no limit
   * @param dryRun count what would be replayed and change nothing
   * @throws IllegalArgumentException when a component is null, {@code operator} is blank, or
   *     {@code ratePerSecond} is negative, NaN or infinite
   */
  public ReplayRequest {
    ids = List.copyOf(notNull(ids, "ids"));
    notNull(filter, "filter");
    notBlank(operator, "operator");
    if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("ratePerSecond must be >= 0 but was " + ratePerSecond);
    }
  }

  /**
   * Replay these ids.
   *
   * @param ids the dead letters to replay
   * @param operator who asked
   * @return a request with no rate limit, not a dry run
   */
  public static ReplayRequest ofIds(List<String> ids, String operator) {
    return new ReplayRequest(ids, DeadLetterFilter.all(), operator, 0, false);
  }

  /**
   * Replay what matches {@code filter} (PENDING ones only).
   *
   * @param filter which dead letters to replay
   * @param operator who asked
   * @return a request with no rate limit, not a dry run
   */
  public static ReplayRequest ofFilter(DeadLetterFilter filter, String operator) {
    return new ReplayRequest(List.of(), filter, operator, 0, false);
  }

  /**
   * This request at another rate.
   *
   * @param perSecond at most this many messages a second; 0 for no limit
   * @return a copy with {@code ratePerSecond} set to {@code perSecond}
   */
  public ReplayRequest withRate(double perSecond) {
    return new ReplayRequest(ids, filter, operator, perSecond, dryRun);
  }

  /**
   * This request as a dry run.
   *
   * @return a copy that counts what would be replayed and changes nothing
   */
  public ReplayRequest asDryRun() {
    return new ReplayRequest(ids, filter, operator, ratePerSecond, true);
  }

  /**
   * The single id when this request names exactly one.
   *
   * @return that id, or empty when the request names none or several
   */
  public Optional<String> singleId() {
    return ids.size() == 1 ? Optional.of(ids.get(0)) : Optional.empty();
  }
}
