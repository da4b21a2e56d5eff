package dev.dlq;

/** Why a message was dead-lettered. */
public enum DeadLetterReason {
  /** Every allowed attempt failed. */
  EXHAUSTED,
  /** The failure's error class is never retried (by default {@link ErrorClass#USER_ERROR}). */
  NON_RETRYABLE,
  /** The message could not be decoded or is structurally invalid. */
  INVALID,
  /** The processor asked for it with {@link Outcome#deadLetter(String)}. */
  REJECTED,
  /** Its worker kept crashing or losing the lease while holding it (a crash loop). */
  LEASE_EXPIRED
}
