package dev.dlq.alerts.mail;

import dev.dlq.alerts.AlertText;
import dev.dlq.alerts.NotificationFailedException;
import dev.dlq.spi.Alert;
import dev.dlq.spi.Checks;
import dev.dlq.spi.Notifier;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Sends each alert as a plain-text e-mail over SMTP (Eclipse Angus Mail): subject
 * {@code [dlq SEVERITY] title}, body {@link AlertText#body} (counts, redacted sample, console link,
 * replay command), header {@code X-Dlq-Alert-Id}. It goes to the configured addresses, or, with
 * {@link Builder#toRecipient()}, to the alert's recipient when that is an e-mail address (the owner
 * named by a message header). A refused or unreachable server throws
 * {@link NotificationFailedException}, so durable delivery tries again. Thread-safe.
 *
 * <pre>{@code
 * Notifier mail = MailNotifier.builder("smtp.example.com", 587).startTls()
 *     .login("alerts", password).from("dlq@example.com").to("ops@example.com").build();
 * }</pre>
 */
public final class MailNotifier implements Notifier {
  private final Session session;
  private final InternetAddress from;
  private final List<InternetAddress> to;
  private final boolean toRecipient;

  private MailNotifier(Builder b) {
    Properties p = new Properties();
    p.put("mail.smtp.host", b.host);
    p.put("mail.smtp.port", String.valueOf(b.port));
    String ms = String.valueOf(b.timeout.toMillis());
    p.put("mail.smtp.connectiontimeout", ms);
    p.put("mail.smtp.timeout", ms);
    p.put("mail.smtp.writetimeout", ms);
    if (b.startTls) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    Authenticator auth = null;
    if (b.user != null) {
      p.put("mail.smtp.auth", "true");
      String user = b.user;
      String password = b.password;
      auth = new Authenticator() {
        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
          return new PasswordAuthentication(user, password);
        }
      };
    }
    this.session = Session.getInstance(p, auth);
    this.from = b.from;
    this.to = List.copyOf(b.to);
    this.toRecipient = b.toRecipient;
  }

  /**
   * A builder for the SMTP server at {@code host}:{@code port}.
   *
   * @param host the SMTP host
   * @param port the SMTP port, 1 to 65535
   * @return a builder
   */
  public static Builder builder(String host, int port) {
    return new Builder(Checks.notBlank(host, "host"), Checks.between(port, 1, 65535, "port"));
  }

  @Override
  public void send(Alert alert) {
    Checks.notNull(alert, "alert");
    List<InternetAddress> rcpt = new ArrayList<>();
    if (toRecipient && alert.recipient().isPresent()) {
      InternetAddress a = addressOrNull(alert.recipient().get());
      if (a != null) {
        rcpt.add(a);
      }
    }
    if (rcpt.isEmpty()) {
      rcpt.addAll(to);
    }
    if (rcpt.isEmpty()) {
      throw new IllegalArgumentException("alert " + alert.id() + " has no e-mail recipient and no default address is set");
    }
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(from);
      m.setRecipients(Message.RecipientType.TO, rcpt.toArray(new InternetAddress[0]));
      m.setSubject(oneLine("[dlq " + alert.severity() + "] " + alert.title()), StandardCharsets.UTF_8.name());
      m.setSentDate(Date.from(alert.at()));
      m.setHeader("X-Dlq-Alert-Id", oneLine(alert.id()));
      m.setText(AlertText.body(alert), StandardCharsets.UTF_8.name());
      Transport.send(m);
    } catch (MessagingException e) {
      throw new NotificationFailedException("mail for alert " + alert.id() + " was not accepted: " + e.getMessage(), e);
    }
  }

  private static String oneLine(String s) {
    String t = s.replaceAll("[\\r\\n\\t]+", " ");
    return t.length() > 200 ? t.substring(0, 199) + "…" : t;
  }

  private static InternetAddress addressOrNull(String s) {
    try {
      InternetAddress a = new InternetAddress(s, true);
      return a.getAddress().contains("@") ? a : null;
    } catch (AddressException e) {
      return null;
    }
  }

  static InternetAddress address(String s, String name) {
    Checks.notBlank(s, name);
    InternetAddress a = addressOrNull(s);
    if (a == null) {
      throw new IllegalArgumentException(name + " must be an e-mail address but was " + s);
    }
    return a;
  }

  /** Configures a {@link MailNotifier}. Mutable and not thread-safe. */
  public static final class Builder {
    private final String host;
    private final int port;
    private boolean startTls;
    private String user;
    private String password;
    private InternetAddress from;
    private final List<InternetAddress> to = new ArrayList<>();
    private boolean toRecipient;
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(String host, int port) {
      this.host = host;
      this.port = port;
    }

    /**
     * Requires STARTTLS (refuses to send in clear text).
     *
     * @return this builder
     */
    public Builder startTls() { this.startTls = true; return this; }

    /**
     * Logs in with {@code user} and {@code password}.
     *
     * @param user the SMTP user
     * @param password the password
     * @return this builder
     */
    public Builder login(String user, String password) {
      this.user = Checks.notBlank(user, "user");
      this.password = Checks.notNull(password, "password");
      return this;
    }

    /**
     * The sender address (required).
     *
     * @param address an e-mail address
     * @return this builder
     */
    public Builder from(String address) { this.from = address(address, "from"); return this; }

    /**
     * Adds default recipients.
     *
     * @param addresses e-mail addresses
     * @return this builder
     */
    public Builder to(String... addresses) {
      for (String a : Checks.notNull(addresses, "addresses")) {
        to.add(address(a, "to"));
      }
      return this;
    }

    /**
     * Sends an alert that has an e-mail address as its recipient to that address instead of the defaults.
     *
     * @return this builder
     */
    public Builder toRecipient() { this.toRecipient = true; return this; }

    /**
     * Connect, read and write timeout; default 10 s.
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
     * @throws IllegalArgumentException when no sender, or neither default recipients nor {@link #toRecipient()}
     */
    public MailNotifier build() {
      if (from == null) {
        throw new IllegalArgumentException("from must be set");
      }
      if (to.isEmpty() && !toRecipient) {
        throw new IllegalArgumentException("to must name at least one address (or use toRecipient())");
      }
      return new MailNotifier(this);
    }
  }
}
