package dev.dlq.nats.internal;

import dev.dlq.DeadLetter;
import io.nats.client.impl.Headers;

/** Lets tests in dev.dlq.nats build what the sink publishes. */
public final class TestAccess {
  private TestAccess() {}

  /** The headers the sink puts on a dead letter's DLQ message (first death). */
  public static Headers headers(DeadLetter dl) {
    return DlqCodec.headers(dl, dl.id(), null, false);
  }
}
