package dev.dlq.sqs.internal;

import dev.dlq.spi.Checks;
import java.time.Duration;

/** The one SQS-specific argument check; the rest are {@link Checks}, shared by every module. */
public final class Args {
  private Args() {}

  /** An SQS visibility timeout: whole seconds from 1 s to 12 h. */
  public static Duration visibility(Duration value, String name) {
    Checks.between(value, Duration.ofSeconds(1), Duration.ofHours(12), name);
    if (value.getNano() != 0) {
      throw new IllegalArgumentException(name + " must be whole seconds (SQS visibility) but was " + value);
    }
    return value;
  }
}
