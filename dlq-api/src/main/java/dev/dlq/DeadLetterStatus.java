package dev.dlq;

/** Where a stored dead letter stands in the operator's workflow. */
public enum DeadLetterStatus {
  /** Waiting for someone to look at it. */
  PENDING,
  /** Someone decided it needs nothing more (fixed by hand, or not worth it). */
  RESOLVED,
  /** Sent back to its source; if it dies again it returns to PENDING with its death count raised. */
  REPLAYED,
  /** Thrown away on purpose; kept for the record until purged. */
  DISCARDED
}
