package dev.dlq.alerts;

import static dev.dlq.spi.Checks.atLeast;
import static dev.dlq.spi.Checks.notNull;

import dev.dlq.ErrorClass;
import dev.dlq.spi.Alert.Severity;
import dev.dlq.spi.Checks;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One alert rule: what to watch ({@link Kind}), which dead letters it looks at (message type, error
 * type), how urgent it is, which channels hear it and how often. Build with the static methods
 * ({@link #errorClass}, {@link #newGroup}, {@link #rate}, {@link #oldest}, {@link #reopened},
 * {@link #breakerOpen}) and refine with the {@code with…} methods, or load from a file with
 * {@link AlertRules}. Immutable and thread-safe.
 *
 * @param name unique among the monitor's rules: letters, digits, {@code - _ .}, at most 64
 * @param kind what it watches
 * @param severity how urgent its alerts are
 * @param channels the channel names its alerts go to (at least one; "notify" in the rules file)
 * @param errorClasses for {@link Kind#ERROR_CLASS}: the classes that fire it; empty for other kinds
 * @param type only dead letters of this message type; empty for all
 * @param errorType only dead letters with this exception class name; empty for all
 * @param count for {@link Kind#RATE}: fires when more than this many die within {@code window}
 * @param window for {@link Kind#RATE}: the window; for {@link Kind#OLDEST}: the age that fires it
 * @param ownerHeader for {@link Kind#ERROR_CLASS}: the message header naming the owner, who becomes
 *     the alert's recipient (USER_ERROR notifies the message's owner); empty for none
 * @param throttle at most one alert per rule and group within this time; the others are held back
 *     and summed up in a digest when it ends (zero sends every alert)
 */
public record AlertRule(String name, Kind kind, Severity severity, List<String> channels, Set<ErrorClass> errorClasses,
    Optional<String> type, Optional<String> errorType, long count, Duration window, Optional<String> ownerHeader,
    Duration throttle) {

  /** What a rule watches, and where its evidence comes from. */
  public enum Kind {
    /** A death of one of the rule's error classes (per death: observer, or the store's new deaths). */
    ERROR_CLASS,
    /** A failure group (fingerprint) seen for the first time (per death: observer or store). */
    NEW_GROUP,
    /** More than {@code count} deaths within {@code window} (the store's count when polling one, else observed deaths). */
    RATE,
    /** The oldest PENDING dead letter is older than {@code window} (polls the store). */
    OLDEST,
    /** A replayed message died again: its record was REOPENED (per death: observer or store). */
    REOPENED,
    /** A worker's circuit breaker opened (observer only). */
    BREAKER_OPEN
  }

  /**
   * Checks every component.
   *
   * @param name unique among the monitor's rules
   * @param kind what it watches
   * @param severity how urgent its alerts are
   * @param channels the channel names its alerts go to
   * @param errorClasses for ERROR_CLASS: the classes that fire it
   * @param type only dead letters of this message type
   * @param errorType only dead letters with this exception class name
   * @param count for RATE: the most deaths within the window without an alert
   * @param window for RATE the window, for OLDEST the age that fires it
   * @param ownerHeader the header naming the owner
   * @param throttle at most one alert per rule and group within this time
   * @throws IllegalArgumentException when a component is missing or out of range, naming it and the rule
   */
  public AlertRule {
    Checks.notBlank(name, "name");
    if (name.length() > 64 || !name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("name must be 1 to 64 letters, digits, '-', '_' or '.' but was " + name);
    }
    notNull(kind, "kind");
    notNull(severity, "severity");
    channels = List.copyOf(notNull(channels, "channels"));
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("channels must name at least one channel (rule " + name + ")");
    }
    channels.forEach(c -> Checks.notBlank(c, "channel"));
    errorClasses = Set.copyOf(notNull(errorClasses, "errorClasses"));
    if (kind == Kind.ERROR_CLASS && errorClasses.isEmpty()) {
      throw new IllegalArgumentException("errorClasses must not be empty for an ERROR_CLASS rule (" + name + ")");
    }
    notNull(type, "type");
    notNull(errorType, "errorType");
    atLeast(count, 0, "count");
    Checks.notNegative(window, "window");
    if ((kind == Kind.RATE || kind == Kind.OLDEST) && window.isZero()) {
      throw new IllegalArgumentException("window must be > 0 for a " + kind + " rule (" + name + ")");
    }
    notNull(ownerHeader, "ownerHeader");
    Checks.notNegative(throttle, "throttle");
  }

  private static final Duration DEFAULT_THROTTLE = Duration.ofMinutes(15);

  private static AlertRule of(String name, Kind kind, Severity severity, Set<ErrorClass> classes, long count,
      Duration window) {
    return new AlertRule(name, kind, severity, List.of("ops"), classes, Optional.empty(), Optional.empty(), count,
        window, Optional.empty(), DEFAULT_THROTTLE);
  }

  /**
   * Fires on each death of one of {@code classes}: SYSTEM_ERROR pages ops (CRITICAL), USER_ERROR
   * notifies the owner (INFO, add {@link #withOwnerHeader}), others WARNING. Throttled per failure group.
   *
   * @param name the rule's name
   * @param classes the error classes, at least one
   * @return the rule, to channel "ops"
   */
  public static AlertRule errorClass(String name, ErrorClass... classes) {
    Set<ErrorClass> set = EnumSet.noneOf(ErrorClass.class);
    for (ErrorClass c : notNull(classes, "classes")) {
      set.add(notNull(c, "class"));
    }
    Severity s = set.contains(ErrorClass.SYSTEM_ERROR) ? Severity.CRITICAL
        : set.equals(EnumSet.of(ErrorClass.USER_ERROR)) ? Severity.INFO : Severity.WARNING;
    return of(name, Kind.ERROR_CLASS, s, set, 0, Duration.ZERO);
  }

  /**
   * Fires once per failure group, the first time its fingerprint is seen (groups already in the
   * store when the monitor starts are known, not new).
   *
   * @param name the rule's name
   * @return the rule, WARNING, to channel "ops"
   */
  public static AlertRule newGroup(String name) {
    return of(name, Kind.NEW_GROUP, Severity.WARNING, Set.of(), 0, Duration.ZERO);
  }

  /**
   * Fires while more than {@code count} dead letters died within {@code window}.
   *
   * @param name the rule's name
   * @param count the most that may die within the window without an alert
   * @param window the sliding window; positive
   * @return the rule, WARNING, to channel "ops"
   */
  public static AlertRule rate(String name, long count, Duration window) {
    return of(name, Kind.RATE, Severity.WARNING, Set.of(), count, Checks.positive(window, "window"));
  }

  /**
   * Fires while the oldest PENDING dead letter is older than {@code age}.
   *
   * @param name the rule's name
   * @param age how old is too old; positive
   * @return the rule, WARNING, to channel "ops"
   */
  public static AlertRule oldest(String name, Duration age) {
    return of(name, Kind.OLDEST, Severity.WARNING, Set.of(), 0, Checks.positive(age, "age"));
  }

  /**
   * Fires when a replayed message dies again (its dead letter is REOPENED).
   *
   * @param name the rule's name
   * @return the rule, WARNING, to channel "ops"
   */
  public static AlertRule reopened(String name) {
    return of(name, Kind.REOPENED, Severity.WARNING, Set.of(), 0, Duration.ZERO);
  }

  /**
   * Fires when a worker's circuit breaker opens (observer only).
   *
   * @param name the rule's name
   * @return the rule, CRITICAL, to channel "ops"
   */
  public static AlertRule breakerOpen(String name) {
    return of(name, Kind.BREAKER_OPEN, Severity.CRITICAL, Set.of(), 0, Duration.ZERO);
  }

  /**
   * This rule with another severity.
   *
   * @param s the severity
   * @return a new rule
   */
  public AlertRule withSeverity(Severity s) {
    return new AlertRule(name, kind, s, channels, errorClasses, type, errorType, count, window, ownerHeader, throttle);
  }

  /**
   * This rule sending to these channels.
   *
   * @param channels channel names, at least one
   * @return a new rule
   */
  public AlertRule withNotify(String... channels) {
    return new AlertRule(name, kind, severity, List.of(notNull(channels, "channels")), errorClasses, type, errorType,
        count, window, ownerHeader, throttle);
  }

  /**
   * This rule looking only at messages of {@code type}.
   *
   * @param t the message type
   * @return a new rule
   */
  public AlertRule withType(String t) {
    return new AlertRule(name, kind, severity, channels, errorClasses, Optional.of(Checks.notBlank(t, "type")), errorType,
        count, window, ownerHeader, throttle);
  }

  /**
   * This rule looking only at dead letters whose exception class name is {@code t}.
   *
   * @param t the exception class name
   * @return a new rule
   */
  public AlertRule withErrorType(String t) {
    return new AlertRule(name, kind, severity, channels, errorClasses, type, Optional.of(Checks.notBlank(t, "errorType")),
        count, window, ownerHeader, throttle);
  }

  /**
   * This rule addressing each alert to the owner named by message header {@code header}.
   *
   * @param header the header name
   * @return a new rule
   */
  public AlertRule withOwnerHeader(String header) {
    return new AlertRule(name, kind, severity, channels, errorClasses, type, errorType, count, window,
        Optional.of(Checks.notBlank(header, "ownerHeader")), throttle);
  }

  /**
   * This rule throttled to one alert per group within {@code d}.
   *
   * @param d the throttle; zero for none
   * @return a new rule
   */
  public AlertRule withThrottle(Duration d) {
    return new AlertRule(name, kind, severity, channels, errorClasses, type, errorType, count, window, ownerHeader,
        Checks.notNegative(d, "throttle"));
  }
}
