package dev.dlq.spi;

/**
 * Delivers an {@link Alert} somewhere: a log, a webhook, a chat channel, an e-mail, a table of
 * user notifications. dlq-alerts ships the built-ins ({@code dev.dlq.alerts.Notifiers}) and the rules
 * that raise alerts; implement this to reach anything else.
 *
 * <p>{@link #send} either returns, meaning the alert was handed over for good, or throws, meaning it
 * was not: durable delivery (dlq-alerts' alert queue) then tries again later with backoff and, when
 * the budget runs out, dead-letters the alert so that it stays visible. A notifier may therefore see
 * one alert more than once: receivers deduplicate on {@link Alert#id()}.
 *
 * <p>Implementations must be thread-safe; {@code send} may block for the duration of one network call.
 */
@FunctionalInterface
public interface Notifier {

  /**
   * Delivers {@code alert}.
   *
   * @param alert what to deliver; never null
   * @throws RuntimeException when it could not be delivered (it will be tried again)
   */
  void send(Alert alert);
}
