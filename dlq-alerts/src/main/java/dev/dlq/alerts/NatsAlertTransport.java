package dev.dlq.alerts;

import dev.dlq.DlqException;
import dev.dlq.nats.JetStreamDlq;
import dev.dlq.nats.NatsHeaders;
import dev.dlq.spi.Checks;
import dev.dlq.spi.Source;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.util.List;

/**
 * Durable alert delivery where only NATS is used: alert tasks are published (waiting for the
 * JetStream ack, {@code Nats-Msg-Id} = task id, so the stream's duplicate window drops a second
 * publish) to {@code subject}, which a stream you create must capture; a dlq JetStream source with
 * durable consumer {@value #CONSUMER} reads them; alerts that never go through are dead-lettered to
 * the {@link JetStreamDlq}'s DLQ stream like any other message ({@code <prefix>.dlq.dlq.alert}).
 * Needs dlq-nats on the class or module path (an optional dependency of dlq-alerts).
 *
 * <pre>{@code
 * jsm.addStream(StreamConfiguration.builder().name("DLQ_ALERTS").subjects("app.alerts").build());
 * AlertDelivery delivery = AlertDelivery.builder().channel("ops", slack)
 *     .transport(NatsAlertTransport.of(nats, connection, "DLQ_ALERTS", "app.alerts")).build();
 * }</pre>
 *
 * Thread-safe.
 */
public final class NatsAlertTransport implements AlertTransport {
  /** The durable consumer that delivers alerts. */
  public static final String CONSUMER = "dlq-alert-delivery";

  private final JetStreamDlq nats;
  private final Connection connection;
  private final String stream;
  private final String subject;

  private NatsAlertTransport(JetStreamDlq nats, Connection connection, String stream, String subject) {
    this.nats = nats;
    this.connection = connection;
    this.stream = stream;
    this.subject = subject;
  }

  /**
   * A transport on {@code stream}, publishing to {@code subject}.
   *
   * @param nats the dlq JetStream backend whose DLQ receives undeliverable alerts
   * @param connection the connection to publish on
   * @param stream an existing stream that captures {@code subject}
   * @param subject a subject without wildcards
   * @return the transport
   * @throws IllegalArgumentException when an argument is null or blank, or the subject has wildcards
   */
  public static NatsAlertTransport of(JetStreamDlq nats, Connection connection, String stream, String subject) {
    Checks.notNull(nats, "nats");
    Checks.notNull(connection, "connection");
    Checks.notBlank(stream, "stream");
    Checks.notBlank(subject, "subject");
    if (subject.contains("*") || subject.contains(">") || subject.contains(" ")) {
      throw new IllegalArgumentException("subject must have no wildcards or spaces but was " + subject);
    }
    return new NatsAlertTransport(nats, connection, stream, subject);
  }

  @Override
  public void publish(List<Task> tasks) {
    for (Task t : Checks.notNull(tasks, "tasks")) {
      Headers h = new Headers();
      t.headers().forEach(h::add);
      h.put(NatsHeaders.TYPE, t.type());
      h.put(NatsHeaders.NATS_MSG_ID, t.id());
      try {
        connection.jetStream().publish(NatsMessage.builder().subject(subject).headers(h).data(t.payload()).build());
      } catch (IOException | JetStreamApiException e) {
        throw new DlqException("could not publish alert task " + t.id() + " to " + subject + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public Source source() {
    return nats.source(stream, CONSUMER).filterSubject(subject).build();
  }

  @Override
  public String toString() {
    return "nats " + stream + "/" + subject;
  }
}
