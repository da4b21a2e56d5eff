package dev.dlq.alerts;

import dev.dlq.DlqException;
import dev.dlq.spi.Alert;
import dev.dlq.spi.Checks;
import dev.dlq.spi.Notifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The notifications table ({@code V6__notifications.sql}) that an application shows its users: as a
 * {@link Notifier} it records each alert that has a {@link Alert#recipient()} (alerts without one are
 * refused: route only owner rules here), once per alert id; the query side lists a user's
 * notifications and marks them read. Typical: an ERROR_CLASS rule for USER_ERROR with an
 * {@code ownerHeader}, notifying channel "users" bound to this. Thread-safe.
 */
public final class UserNotifications implements Notifier {
  private final DataSource dataSource;
  private final String table;
  private final Clock clock;

  private UserNotifications(DataSource dataSource, String schema, Clock clock) {
    this.dataSource = dataSource;
    this.table = "\"" + schema + "\".notifications";
    this.clock = clock;
  }

  /**
   * The notifications of dlq's schema {@code schema}.
   *
   * @param dataSource a pooled data source
   * @param schema the schema migrated by {@code PostgresSchema.migrate} (a plain identifier)
   * @return the notifications
   * @throws IllegalArgumentException when the schema is not a plain identifier
   */
  public static UserNotifications of(DataSource dataSource, String schema) {
    return of(dataSource, schema, Clock.systemUTC());
  }

  /**
   * {@link #of(DataSource, String)} with a clock for {@code created_at} and {@code read_at}.
   *
   * @param dataSource a pooled data source
   * @param schema the schema
   * @param clock the clock
   * @return the notifications
   */
  public static UserNotifications of(DataSource dataSource, String schema, Clock clock) {
    Checks.notNull(dataSource, "dataSource");
    if (schema == null || !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("schema must be a plain lower-case identifier but was " + schema);
    }
    return new UserNotifications(dataSource, schema, Checks.notNull(clock, "clock"));
  }

  /**
   * One notification as the application shows it.
   *
   * @param id the row id
   * @param alertId the alert's id
   * @param recipient whom it is for
   * @param rule the rule that raised it
   * @param severity the severity name
   * @param title the title
   * @param deadLetterId the sample dead letter's id, if any
   * @param messageType the sample's message type, if any
   * @param alertJson the whole alert as {@link AlertJson}
   * @param createdAt when it was recorded
   * @param readAt when the user read it, if they did
   */
  public record Notification(long id, String alertId, String recipient, String rule, String severity, String title,
      Optional<String> deadLetterId, Optional<String> messageType, String alertJson, Instant createdAt,
      Optional<Instant> readAt) {}

  /**
   * Records {@code alert} for its recipient; a second call with the same alert id changes nothing.
   *
   * @param alert an alert with a recipient
   * @throws IllegalArgumentException when the alert has no recipient
   * @throws DlqException when the database fails
   */
  @Override
  public void send(Alert alert) {
    Checks.notNull(alert, "alert");
    String recipient = alert.recipient().orElseThrow(() -> new IllegalArgumentException(
        "alert " + alert.id() + " of rule " + alert.rule() + " has no recipient; route only owner rules to user notifications"));
    String sql = "INSERT INTO " + table + " (alert_id, recipient, rule, severity, title, dead_letter_id, message_type, alert,"
        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT (alert_id) DO NOTHING";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, alert.id());
      ps.setString(2, recipient);
      ps.setString(3, alert.rule());
      ps.setString(4, alert.severity().name());
      ps.setString(5, alert.title());
      ps.setString(6, alert.sample().map(Alert.Sample::deadLetterId).orElse(null));
      ps.setString(7, alert.sample().map(Alert.Sample::messageType).orElse(null));
      ps.setString(8, AlertJson.write(alert));
      ps.setTimestamp(9, Timestamp.from(clock.instant()));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new DlqException("could not record notification " + alert.id() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The latest notifications of {@code recipient}, newest first.
   *
   * @param recipient the user
   * @param limit 1 to 1000
   * @param unreadOnly only those not read yet
   * @return the notifications
   * @throws DlqException when the database fails
   */
  public List<Notification> list(String recipient, int limit, boolean unreadOnly) {
    Checks.notBlank(recipient, "recipient");
    Checks.between(limit, 1, 1000, "limit");
    String sql = "SELECT id, alert_id, recipient, rule, severity, title, dead_letter_id, message_type, alert::text,"
        + " created_at, read_at FROM " + table + " WHERE recipient = ?" + (unreadOnly ? " AND read_at IS NULL" : "")
        + " ORDER BY id DESC LIMIT ?";
    List<Notification> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, recipient);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Timestamp read = rs.getTimestamp(11);
          out.add(new Notification(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), Optional.ofNullable(rs.getString(7)), Optional.ofNullable(rs.getString(8)),
              rs.getString(9), rs.getTimestamp(10).toInstant(), Optional.ofNullable(read).map(Timestamp::toInstant)));
        }
      }
    } catch (SQLException e) {
      throw new DlqException("could not list notifications: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Marks these notifications of {@code recipient} read (ids of other recipients are ignored).
   *
   * @param recipient the user
   * @param ids notification ids, at most 1000
   * @return how many changed
   * @throws DlqException when the database fails
   */
  public int markRead(String recipient, Collection<Long> ids) {
    Checks.notBlank(recipient, "recipient");
    Checks.notNull(ids, "ids");
    if (ids.size() > 1000) {
      throw new IllegalArgumentException("ids must be at most 1000 but was " + ids.size());
    }
    if (ids.isEmpty()) {
      return 0;
    }
    String sql = "UPDATE " + table + " SET read_at = ? WHERE recipient = ? AND read_at IS NULL AND id = ANY (?)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setTimestamp(1, Timestamp.from(clock.instant()));
      ps.setString(2, recipient);
      ps.setArray(3, c.createArrayOf("bigint", ids.toArray()));
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new DlqException("could not mark notifications read: " + e.getMessage(), e);
    }
  }
}
