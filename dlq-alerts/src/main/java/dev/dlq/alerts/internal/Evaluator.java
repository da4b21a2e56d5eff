package dev.dlq.alerts.internal;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStats;
import dev.dlq.DeadLetterStatus;
import dev.dlq.Page;
import dev.dlq.RecordResult;
import dev.dlq.StoredDeadLetter;
import dev.dlq.Worker.CircuitState;
import dev.dlq.alerts.AlertRule;
import dev.dlq.alerts.AlertRule.Kind;
import dev.dlq.spi.Alert;
import dev.dlq.spi.DeadLetterStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Turns deaths, breaker changes and store polls into alerts, through the throttle, to a sender.
 * Not thread-safe: the monitor calls it from its one thread.
 */
public final class Evaluator {
  static final int MAX_KNOWN_GROUPS = 100_000;
  static final int MAX_SCAN_PAGES = 10;
  static final int MAX_OBSERVED_PER_RULE = 100_000;
  static final Duration SCAN_OVERLAP = Duration.ofMinutes(1);
  static final int MAX_SEEN_DEATHS = 20_000;

  /** Where deaths come from. */
  public enum Feed { OBSERVER, STORE }

  private final List<AlertRule> rules;
  private final DeadLetterStore store;
  private final Feed feed;
  private final DeadLetterFormat format;
  private final Clock clock;
  private final Optional<String> consoleUrl;
  private final String cli;
  private final BiConsumer<Alert, List<String>> sender;
  private final Throttle throttle = new Throttle();
  private final Set<String> knownGroups = new HashSet<>();
  private final Map<String, ArrayDeque<Instant>> observedDeaths = new HashMap<>();
  private final Map<String, Boolean> seenDeaths = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > MAX_SEEN_DEATHS;
    }
  };
  private final Map<String, DeadLetter> lastObserved = new HashMap<>();
  private boolean seeded;
  private Instant lastScan;
  private Instant startedAt;

  public Evaluator(List<AlertRule> rules, DeadLetterStore store, Feed feed, DeadLetterFormat format, Clock clock,
      Optional<String> consoleUrl, String cli, BiConsumer<Alert, List<String>> sender) {
    this.rules = List.copyOf(rules);
    this.store = store;
    this.feed = feed;
    this.format = format;
    this.clock = clock;
    this.consoleUrl = consoleUrl.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    this.cli = cli;
    this.sender = sender;
  }

  /** A death heard by the observer; ignored when deaths come from the store. */
  public void observed(DeadLetter dl, RecordResult result) {
    if (feed == Feed.OBSERVER && result.becameDead()) {
      death(dl, result, true);
    }
  }

  /** A breaker moved; BREAKER_OPEN rules fire when it opens. */
  public void circuit(String workerId, String source, CircuitState state) {
    if (state != CircuitState.OPEN) {
      return;
    }
    for (AlertRule r : rules) {
      if (r.kind() == Kind.BREAKER_OPEN) {
        emit(r, alert(r, workerId, "circuit breaker of worker " + workerId + " opened: recoverable failures dominate"
            + " on " + source + " (polling paused)", Map.of("open", 1L), Optional.empty(), Optional.empty()));
      }
    }
  }

  /** One round of polling: the store's new deaths (STORE feed), RATE and OLDEST, then digests. */
  public void poll() {
    Instant now = clock.instant();
    seed();
    if (store != null && feed == Feed.STORE) {
      scanDeaths(now);
    }
    for (AlertRule r : rules) {
      if (r.kind() == Kind.RATE) {
        rate(r, now);
      } else if (r.kind() == Kind.OLDEST && store != null) {
        oldest(r, now);
      }
    }
    for (Alert a : throttle.flush(now)) {
      rules.stream().filter(r -> r.name().equals(a.rule())).findFirst().ifPresent(r -> sender.accept(a, r.channels()));
    }
  }

  /** Groups already in the store are known, not new. */
  public void seed() {
    if (seeded) {
      return;
    }
    seeded = true;
    lastScan = clock.instant();
    startedAt = lastScan;
    if (store != null && rules.stream().anyMatch(r -> r.kind() == Kind.NEW_GROUP)) {
      knownGroups.addAll(store.stats(DeadLetterFilter.all()).byFingerprint().keySet());
    }
  }

  private void scanDeaths(Instant now) {
    if (!now.isAfter(lastScan)) {
      return;
    }
    // look back past the last scan: a death committed late (a long transaction, another worker's
    // clock) may carry an earlier dead-at; the seen set keeps each death from being counted twice
    Instant from = lastScan.minus(SCAN_OVERLAP);
    DeadLetterFilter f = DeadLetterFilter.builder().deadFrom(from.isBefore(startedAt) ? startedAt : from)
        .deadBefore(now).build();
    DeadLetterQuery q = DeadLetterQuery.of(f, DeadLetterQuery.MAX_LIMIT);
    List<StoredDeadLetter> items = new java.util.ArrayList<>();
    for (int pages = 0; pages < MAX_SCAN_PAGES; pages++) {
      Page<StoredDeadLetter> page = store.find(q);
      items.addAll(page.items());
      if (page.nextCursor().isEmpty()) {
        break;
      }
      if (pages == MAX_SCAN_PAGES - 1) {
        org.slf4j.LoggerFactory.getLogger(Evaluator.class).warn("more than {} deaths since {}: only the newest are"
            + " evaluated", MAX_SCAN_PAGES * DeadLetterQuery.MAX_LIMIT, lastScan);
      }
      q = q.after(page.nextCursor().get());
    }
    java.util.Collections.reverse(items); // oldest first
    for (StoredDeadLetter s : items) {
      if (seenDeaths.put(s.id() + "#" + s.deathCount(), Boolean.TRUE) == null) {
        death(s.deadLetter(), s.deathCount() > 1 ? RecordResult.REOPENED : RecordResult.CREATED, false);
      }
    }
    lastScan = now;
  }

  private void death(DeadLetter dl, RecordResult result, boolean observed) {
    seed();
    String fp = dl.fingerprint();
    boolean newGroup = knownGroups.add(fp);
    if (knownGroups.size() > MAX_KNOWN_GROUPS) {
      knownGroups.clear();
      knownGroups.add(fp);
    }
    for (AlertRule r : rules) {
      if (!matches(r, dl)) {
        continue;
      }
      switch (r.kind()) {
        case ERROR_CLASS:
          if (r.errorClasses().contains(dl.errorClass())) {
            Optional<String> owner = r.ownerHeader().map(h -> dl.message().headers().get(h));
            String title = dl.errorClass() + " in " + dl.message().type() + ": " + dl.errorType() + ": "
                + Samples.clean(DeadLetterFormat.cut(format.apply(dl).errorMessage(), 200));
            Alert a = alert(r, fp, title, Map.of("deathCount", 1L, "attempts", (long) dl.attempts()),
                Optional.of(dl), Optional.of(groupReplay(fp)));
            if (owner.isPresent()) {
              a = withRecipient(a, owner.get());
            }
            emit(r, a);
          }
          break;
        case NEW_GROUP:
          if (newGroup) {
            emit(r, alert(r, fp, "new failure group in " + dl.message().type() + ": " + dl.errorType(),
                Map.of("deadLetters", 1L), Optional.of(dl), Optional.of(groupReplay(fp))));
          }
          break;
        case REOPENED:
          if (result == RecordResult.REOPENED) {
            emit(r, alert(r, fp, "a replayed " + dl.message().type() + " died again: " + dl.errorType(),
                Map.of("attempts", (long) dl.attempts()), Optional.of(dl), Optional.of(cli + " replay " + dl.id())));
          }
          break;
        case RATE:
          if (observed && store == null) {
            ArrayDeque<Instant> q = observedDeaths.computeIfAbsent(r.name(), k -> new ArrayDeque<>());
            q.addLast(dl.deadAt());
            lastObserved.put(r.name(), dl);
            rateFromObserved(r, q, clock.instant());
          }
          break;
        default:
          break;
      }
    }
  }

  private void rateFromObserved(AlertRule r, ArrayDeque<Instant> q, Instant now) {
    Instant from = now.minus(r.window());
    q.removeIf(t -> t.isBefore(from));
    while (q.size() > Math.max(r.count() + 1, MAX_OBSERVED_PER_RULE)) {
      q.pollFirst(); // keep the deque bounded; past this the count reads as this many
    }
    if (q.size() > r.count()) {
      emitRate(r, q.size(), Optional.ofNullable(lastObserved.get(r.name())));
    }
  }

  private void rate(AlertRule r, Instant now) {
    if (store == null) {
      ArrayDeque<Instant> q = observedDeaths.get(r.name());
      if (q != null) {
        q.removeIf(t -> t.isBefore(now.minus(r.window())));
      }
      return;
    }
    DeadLetterFilter f = filter(r).deadFrom(now.minus(r.window())).build();
    long n = store.count(f);
    if (n > r.count()) {
      Optional<DeadLetter> latest = store.find(DeadLetterQuery.of(f, 1)).items().stream().findFirst()
          .map(StoredDeadLetter::deadLetter);
      emitRate(r, n, latest);
    }
  }

  private void emitRate(AlertRule r, long n, Optional<DeadLetter> sample) {
    emit(r, alert(r, r.type().orElse("*"), n + " dead letters within " + human(r.window()) + " (more than " + r.count()
        + ")", Map.of("deadLetters", n, "threshold", r.count(), "windowSeconds", r.window().getSeconds()), sample,
        sample.map(d -> groupReplay(d.fingerprint()))));
  }

  private void oldest(AlertRule r, Instant now) {
    DeadLetterFilter pending = filter(r).status(DeadLetterStatus.PENDING).build();
    DeadLetterStats stats = store.stats(pending);
    Optional<Instant> hour = stats.byHour().keySet().stream().min(Instant::compareTo);
    if (hour.isEmpty() || !hour.get().isBefore(now.minus(r.window()))) {
      return;
    }
    DeadLetterFilter inHour = filter(r).status(DeadLetterStatus.PENDING).deadFrom(hour.get())
        .deadBefore(hour.get().plus(1, ChronoUnit.HOURS)).build();
    DeadLetterQuery q = DeadLetterQuery.of(inHour, DeadLetterQuery.MAX_LIMIT);
    StoredDeadLetter oldest = null;
    for (int i = 0; i < 10; i++) {
      Page<StoredDeadLetter> p = store.find(q);
      for (StoredDeadLetter s : p.items()) {
        if (oldest == null || s.deadLetter().deadAt().isBefore(oldest.deadLetter().deadAt())) {
          oldest = s;
        }
      }
      if (p.nextCursor().isEmpty()) {
        break;
      }
      q = q.after(p.nextCursor().get());
    }
    if (oldest == null || !oldest.deadLetter().deadAt().isBefore(now.minus(r.window()))) {
      return;
    }
    Duration age = Duration.between(oldest.deadLetter().deadAt(), now);
    long pendingCount = stats.total();
    emit(r, alert(r, r.type().orElse("*"), "oldest unresolved dead letter is " + human(age) + " old (limit "
        + human(r.window()) + ")", Map.of("ageSeconds", age.getSeconds(), "pending", pendingCount,
        "limitSeconds", r.window().getSeconds()), Optional.of(oldest.deadLetter()),
        Optional.of(cli + " replay " + oldest.id())));
  }

  private static DeadLetterFilter.Builder filter(AlertRule r) {
    DeadLetterFilter.Builder b = DeadLetterFilter.builder();
    r.type().ifPresent(b::type);
    r.errorType().ifPresent(b::errorType);
    return b;
  }

  private static boolean matches(AlertRule r, DeadLetter dl) {
    return r.type().map(t -> t.equals(dl.message().type())).orElse(true)
        && r.errorType().map(t -> t.equals(dl.errorType())).orElse(true);
  }

  private String groupReplay(String fp) {
    return cli + " replay-batch --fingerprint " + fp + " --status PENDING --yes";
  }

  private Alert alert(AlertRule r, String group, String title, Map<String, Long> counts, Optional<DeadLetter> dl,
      Optional<String> replay) {
    Optional<String> link = consoleUrl.map(base -> dl.isPresent()
        ? base + "/?fingerprint=" + URLEncoder.encode(dl.get().fingerprint(), StandardCharsets.UTF_8) + "&status=PENDING"
        : base + "/?status=PENDING");
    return new Alert(UUID.randomUUID().toString(), r.name(), r.severity(), group.isBlank() ? "*" : group,
        Optional.empty(), title, new LinkedHashMap<>(counts), dl.map(d -> Samples.of(d, format)), link, replay,
        clock.instant());
  }

  private static Alert withRecipient(Alert a, String owner) {
    return new Alert(a.id(), a.rule(), a.severity(), a.group(), Optional.of(owner), a.title(), a.counts(), a.sample(),
        a.consoleUrl(), a.replayCommand(), a.at());
  }

  private void emit(AlertRule r, Alert a) {
    throttle.offer(a, r.throttle(), clock.instant()).ifPresent(x -> sender.accept(x, r.channels()));
  }

  static String human(Duration d) {
    long s = d.getSeconds();
    if (s % 86_400 == 0 && s > 0) {
      return s / 86_400 + "d";
    }
    if (s >= 3600) {
      return s / 3600 + "h" + (s % 3600 / 60 > 0 ? s % 3600 / 60 + "m" : "");
    }
    if (s >= 60) {
      return s / 60 + "m" + (s % 60 > 0 ? s % 60 + "s" : "");
    }
    return s + "s";
  }
}
