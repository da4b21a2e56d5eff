package dev.dlq;

/** How a backoff delay is randomised so that failed messages do not retry in lockstep. */
public enum Jitter {
  /** The computed delay as it is. */
  NONE,
  /** Uniform in [0, delay]. Spreads load best. */
  FULL,
  /** Uniform in [delay / 2, delay]. Keeps a floor. */
  EQUAL
}
