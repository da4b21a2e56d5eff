package dev.dlq.alerts;

import dev.dlq.alerts.internal.Hmac;
import dev.dlq.spi.Checks;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the {@value WebhookNotifier#SIGNATURE_HEADER} header of a webhook call, for receivers:
 * the timestamp must be within the tolerance of the receiver's clock (default 5 minutes; stops
 * replays of captured calls) and one {@code v1} signature must match the raw body (several are
 * accepted while secrets rotate). Compares in constant time. Thread-safe.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.of(secret);
 * if (verifier.verify(request.header("X-Dlq-Signature"), rawBody) != WebhookVerifier.Result.VALID) {
 *   return 401;
 * }
 * }</pre>
 */
public final class WebhookVerifier {
  private final byte[] secret;
  private final Duration tolerance;
  private final Clock clock;

  private WebhookVerifier(byte[] secret, Duration tolerance, Clock clock) {
    this.secret = secret;
    this.tolerance = tolerance;
    this.clock = clock;
  }

  /**
   * A verifier for {@code secret} with a 5 minute tolerance and the system clock.
   *
   * @param secret the shared secret
   * @return the verifier
   * @throws IllegalArgumentException when the secret is null or blank
   */
  public static WebhookVerifier of(String secret) {
    return new WebhookVerifier(Checks.notBlank(secret, "secret").getBytes(StandardCharsets.UTF_8),
        Duration.ofMinutes(5), Clock.systemUTC());
  }

  /**
   * The same verifier with another tolerance.
   *
   * @param tolerance how far the timestamp may be from now, either way; between 1 s and 1 h
   * @return a new verifier
   */
  public WebhookVerifier withTolerance(Duration tolerance) {
    return new WebhookVerifier(secret, Checks.between(tolerance, Duration.ofSeconds(1), Duration.ofHours(1), "tolerance"),
        clock);
  }

  /**
   * The same verifier with another clock.
   *
   * @param clock the receiver's clock
   * @return a new verifier
   */
  public WebhookVerifier withClock(Clock clock) {
    return new WebhookVerifier(secret, tolerance, Checks.notNull(clock, "clock"));
  }

  /** What {@link #verify} found. */
  public enum Result {
    /** Signed with the secret, recently. */
    VALID,
    /** Missing or not of the form {@code t=<digits>,v1=<hex>}. */
    MALFORMED,
    /** Well formed but outside the tolerance (old, or from the future). */
    STALE,
    /** No signature matches the body. */
    BAD_SIGNATURE
  }

  /**
   * Checks one call.
   *
   * @param header the signature header's value; null reads as MALFORMED
   * @param body the raw request body, exactly as received
   * @return the verdict; only {@link Result#VALID} should be accepted
   * @throws IllegalArgumentException when {@code body} is null
   */
  public Result verify(String header, byte[] body) {
    Checks.notNull(body, "body");
    if (header == null || header.length() > 1024) {
      return Result.MALFORMED;
    }
    long t = -1;
    List<String> sigs = new ArrayList<>();
    for (String part : header.split(",")) {
      String p = part.trim();
      if (p.startsWith("t=") && p.length() > 2 && p.length() <= 14 && p.substring(2).chars().allMatch(Character::isDigit)) {
        t = Long.parseLong(p.substring(2));
      } else if (p.startsWith("v1=") && p.length() == 67) {
        sigs.add(p.substring(3));
      }
    }
    if (t < 0 || sigs.isEmpty()) {
      return Result.MALFORMED;
    }
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - t) > tolerance.getSeconds()) {
      return Result.STALE;
    }
    byte[] expected = Hmac.sign(secret, t, body).getBytes(StandardCharsets.US_ASCII);
    boolean ok = false;
    for (String s : sigs) {
      ok |= MessageDigest.isEqual(expected, s.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
    return ok ? Result.VALID : Result.BAD_SIGNATURE;
  }
}
