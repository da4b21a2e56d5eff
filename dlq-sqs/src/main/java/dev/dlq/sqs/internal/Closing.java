package dev.dlq.sqs.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes what a source owns, logging instead of throwing. */
final class Closing {
  private static final Logger log = LoggerFactory.getLogger(Closing.class);

  private Closing() {}

  static void close(AutoCloseable c, String owner) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      log.warn("closing the SQS client of {} failed", owner, e);
    }
  }
}
