package dev.dlq.alerts.internal;

import dev.dlq.spi.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * At most one alert per rule and group within the rule's throttle. Alerts in between are held back:
 * counted, the latest kept, and summed up in a digest alert when the throttle ends ({@link #flush}),
 * or in the {@code heldBack} count of the next alert that passes. Not thread-safe: one evaluator
 * thread owns it.
 */
public final class Throttle {
  static final int MAX_SLOTS = 50_000;

  private static final class Slot {
    Instant until;
    Duration throttle;
    long held;
    Alert last;
  }

  private final Map<String, Slot> slots = new HashMap<>();

  /** The alert to send now (with {@code heldBack} added when some were held), or empty when it is held back. */
  public Optional<Alert> offer(Alert a, Duration throttle, Instant now) {
    if (throttle.isZero()) {
      return Optional.of(a);
    }
    String key = a.rule() + "\u0000" + a.group() + "\u0000" + a.recipient().orElse("");
    Slot s = slots.get(key);
    if (s != null && now.isBefore(s.until)) {
      s.held++;
      s.last = a;
      return Optional.empty();
    }
    if (s == null) {
      if (slots.size() >= MAX_SLOTS) {
        evict(now);
      }
      s = new Slot();
      slots.put(key, s);
    }
    Alert out = s.held > 0 ? withHeld(a, s.held, a.title()) : a;
    s.held = 0;
    s.last = null;
    s.throttle = throttle;
    s.until = now.plus(throttle);
    return Optional.of(out);
  }

  /** Digests of the groups whose throttle ended with alerts held back; each starts a new throttle period. */
  public List<Alert> flush(Instant now) {
    List<Alert> out = new ArrayList<>();
    for (Slot s : slots.values()) {
      if (s.held > 0 && !now.isBefore(s.until)) {
        out.add(withHeld(s.last, s.held, s.held + " more held back since the last alert: " + s.last.title()));
        s.held = 0;
        s.last = null;
        s.until = now.plus(s.throttle);
      }
    }
    return out;
  }

  private void evict(Instant now) {
    for (Iterator<Slot> it = slots.values().iterator(); it.hasNext(); ) {
      Slot s = it.next();
      if (s.held == 0 && !now.isBefore(s.until)) {
        it.remove();
      }
    }
    if (slots.size() >= MAX_SLOTS) {
      slots.clear(); // nothing expired: forget throttling rather than grow without bound
    }
  }

  private static Alert withHeld(Alert a, long held, String title) {
    Map<String, Long> counts = new LinkedHashMap<>(a.counts());
    counts.put("heldBack", held);
    return new Alert(UUID.randomUUID().toString(), a.rule(), a.severity(), a.group(), a.recipient(), title, counts,
        a.sample(), a.consoleUrl(), a.replayCommand(), a.at());
  }
}
