package dev.dlq.nats.internal;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamState;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/** Reads a stream from a sequence to its current end with an ordered (ephemeral, gap-checked) consumer. */
final class StreamReader {
  private static final Duration IDLE = Duration.ofSeconds(5);

  private StreamReader() {}

  /**
   * Hands every message of {@code stream} on {@code subject} from {@code fromSeq} (1 for all) up to the
   * stream's last sequence at the time of the call to {@code each}, in order.
   */
  static void read(Connection conn, String stream, String subject, long fromSeq, Consumer<Message> each) {
    try {
      StreamState state = conn.jetStreamManagement().getStreamInfo(stream).getStreamState();
      long last = state.getLastSequence();
      if (state.getMsgCount() == 0 || fromSeq > last) {
        return;
      }
      ConsumerConfiguration cc = ConsumerConfiguration.builder()
          .deliverPolicy(fromSeq > 1 ? DeliverPolicy.ByStartSequence : DeliverPolicy.All)
          .startSequence(fromSeq > 1 ? fromSeq : 0)
          .build();
      PushSubscribeOptions options = PushSubscribeOptions.builder().stream(stream).ordered(true).configuration(cc).build();
      JetStreamSubscription sub = conn.jetStream().subscribe(subject, options);
      try {
        while (true) {
          Message m = sub.nextMessage(IDLE);
          if (m == null) {
            return; // nothing more came: the rest was deleted meanwhile
          }
          long seq = m.metaData().streamSequence();
          if (seq > last) {
            return;
          }
          each.accept(m);
          if (seq == last || m.metaData().pendingCount() == 0) {
            return;
          }
        }
      } finally {
        sub.unsubscribe();
      }
    } catch (IOException | JetStreamApiException e) {
      throw Nats.failure("read stream " + stream, e);
    } catch (InterruptedException e) {
      throw Nats.failure("read stream " + stream, e);
    }
  }
}
