package dev.dlq.alerts;

import dev.dlq.alerts.internal.Hmac;
import dev.dlq.alerts.internal.Http;
import dev.dlq.spi.Alert;
import dev.dlq.spi.Checks;
import dev.dlq.spi.Notifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * POSTs each alert as {@link AlertJson} to a URL, signed: header {@value #SIGNATURE_HEADER} is
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the shared secret>}, and
 * {@value #ID_HEADER} carries the alert id for deduplication. Receivers check it with
 * {@link WebhookVerifier}. Any answer outside 2xx, or no answer within the timeout, is a failure
 * (thrown as {@link NotificationFailedException}, so durable delivery tries again). Redirects are
 * not followed. Thread-safe.
 */
public final class WebhookNotifier implements Notifier {
  /** The signature header. */
  public static final String SIGNATURE_HEADER = "X-Dlq-Signature";
  /** The alert id header. */
  public static final String ID_HEADER = "X-Dlq-Alert-Id";

  private final URI uri;
  private final byte[] secret;
  private final Clock clock;
  private final Http http;

  private WebhookNotifier(URI uri, byte[] secret, Clock clock, Duration timeout) {
    this.uri = uri;
    this.secret = secret;
    this.clock = clock;
    this.http = new Http(timeout);
  }

  /**
   * A webhook notifier for {@code uri} signing with {@code secret}.
   *
   * @param uri where to POST; http or https
   * @param secret the shared secret, at least 16 characters
   * @return a builder
   * @throws IllegalArgumentException when the URI is not http(s) or the secret is too short
   */
  public static Builder builder(URI uri, String secret) {
    return new Builder(uri, secret);
  }

  @Override
  public void send(Alert alert) {
    Checks.notNull(alert, "alert");
    byte[] body = AlertJson.write(alert).getBytes(StandardCharsets.UTF_8);
    long t = clock.instant().getEpochSecond();
    http.post(uri, body, Map.of(SIGNATURE_HEADER, "t=" + t + ",v1=" + Hmac.sign(secret, t, body), ID_HEADER, alert.id()));
  }

  @Override
  public String toString() {
    return "WebhookNotifier[" + Http.redacted(uri) + "]";
  }

  /** Configures a {@link WebhookNotifier}. Mutable and not thread-safe. */
  public static final class Builder {
    private final URI uri;
    private final byte[] secret;
    private Clock clock = Clock.systemUTC();
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(URI uri, String secret) {
      this.uri = httpUri(uri, "uri");
      Checks.notNull(secret, "secret");
      if (secret.length() < 16) {
        throw new IllegalArgumentException("secret must be at least 16 characters but was " + secret.length());
      }
      this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The clock that stamps signatures; default UTC system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) { this.clock = Checks.notNull(clock, "clock"); return this; }

    /**
     * Connect and response timeout; default 10 s.
     *
     * @param timeout between 100 ms and 5 min
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Checks.between(timeout, Duration.ofMillis(100), Duration.ofMinutes(5), "timeout");
      return this;
    }

    /**
     * Builds the notifier.
     *
     * @return the notifier
     */
    public WebhookNotifier build() {
      return new WebhookNotifier(uri, secret, clock, timeout);
    }
  }

  static URI httpUri(URI uri, String name) {
    Checks.notNull(uri, name);
    String scheme = uri.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || uri.getHost() == null) {
      throw new IllegalArgumentException(name + " must be an http or https URL but was " + Http.redacted(uri));
    }
    return uri;
  }
}
