package dev.dlq;

/** What kind of failure a throwable is; decides whether and how a message is retried. */
public enum ErrorClass {
  /** Transient: timeouts, rate limits, 503, lost connections. Retried. */
  RECOVERABLE,
  /** Bad input: validation errors, 4xx. Never retried: dead-lettered at once. */
  USER_ERROR,
  /** A bug or a server fault: 500, NullPointerException. Retried up to the budget. */
  SYSTEM_ERROR,
  /** Nobody knew. Retried up to the budget. */
  UNKNOWN
}
