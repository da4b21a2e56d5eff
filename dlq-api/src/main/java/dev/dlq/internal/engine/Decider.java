package dev.dlq.internal.engine;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.DeadLetterReason;
import dev.dlq.ErrorClass;
import dev.dlq.ErrorClassifier;
import dev.dlq.Failure;
import dev.dlq.InvalidMessageException;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RetryDecision;
import dev.dlq.RetryPolicy;
import dev.dlq.spi.Settlement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failure decision, and nothing else: given a message, its history and what the processor
 * returned or threw, the {@link Settlement} to carry out. No I/O, no threads; the clock is read for
 * the attempt's time. Thread-safe.
 */
public final class Decider {
  private static final Logger log = LoggerFactory.getLogger(Decider.class);

  private final RetryPolicy policy;
  private final ErrorClassifier classifier;
  private final DeadLetterFormat format;
  private final String workerId;
  private final Clock clock;

  public Decider(RetryPolicy policy, ErrorClassifier classifier, DeadLetterFormat format, String workerId, Clock clock) {
    this.policy = policy;
    this.classifier = classifier;
    this.format = format;
    this.workerId = workerId;
    this.clock = clock;
  }

  /** What the processor returned, after {@code tookNanos}. */
  public Settlement onOutcome(Message m, Supplier<List<Attempt>> history, Outcome outcome, long tookNanos) {
    if (outcome instanceof Outcome.Success) {
      return Settlement.complete();
    }
    if (outcome instanceof Outcome.Retry r) {
      Failure failure = new Failure(m, ErrorClass.RECOVERABLE, Optional.empty(), r.delay());
      return retryOrGiveUp(m, history, failure, null, "retry-requested", "the processor asked for a retry", tookNanos);
    }
    Outcome.DeadLetter dl = (Outcome.DeadLetter) outcome;
    return dead(m, history, ErrorClass.USER_ERROR, null, "rejected", dl.why(), DeadLetterReason.REJECTED, tookNanos);
  }

  /** What the processor threw, after {@code tookNanos}. */
  public Settlement onThrowable(Message m, Supplier<List<Attempt>> history, Throwable t, long tookNanos) {
    if (t instanceof InvalidMessageException) {
      return dead(m, history, ErrorClass.USER_ERROR, t, null, null, DeadLetterReason.INVALID, tookNanos);
    }
    return retryOrGiveUp(m, history, Failure.of(m, classify(t), t), t, null, null, tookNanos);
  }

  /** A delivery that could not be decoded: dead at once as INVALID, without running the processor. */
  public Settlement onUndecodable(Message m, Supplier<List<Attempt>> history, Throwable why) {
    return dead(m, history, ErrorClass.USER_ERROR, why, null, null, DeadLetterReason.INVALID, 0);
  }

  /** The error class of a settlement's failure; empty for complete and release. */
  public static Optional<ErrorClass> errorClassOf(Settlement s) {
    if (s instanceof Settlement.Retry r) {
      return Optional.of(r.failed().errorClass());
    }
    if (s instanceof Settlement.Dead d) {
      return Optional.of(d.deadLetter().errorClass());
    }
    return Optional.empty();
  }

  private Settlement retryOrGiveUp(Message m, Supplier<List<Attempt>> history, Failure failure, Throwable t,
      String type, String text, long took) {
    RetryDecision decision = policy.decide(failure);
    if (decision instanceof RetryDecision.RetryAfter r) {
      return Settlement.retry(r.delay(), attempt(m, failure.errorClass(), t, type, text, took));
    }
    DeadLetterReason reason = ((RetryDecision.GiveUp) decision).reason();
    return dead(m, history, failure.errorClass(), t, type, text, reason, took);
  }

  private Settlement dead(Message m, Supplier<List<Attempt>> history, ErrorClass errorClass, Throwable t, String type,
      String text, DeadLetterReason reason, long took) {
    Attempt current = attempt(m, errorClass, t, type, text, took);
    DeadLetter dl = DeadLetters.build(m, errorClass, t, type, text, reason, policy.maxAttempts(errorClass),
        history.get(), current, current.at(), workerId, format);
    return Settlement.dead(dl);
  }

  private Attempt attempt(Message m, ErrorClass errorClass, Throwable t, String type, String text, long took) {
    String errorType = t != null ? t.getClass().getName() : type;
    String message = t != null ? String.valueOf(t.getMessage()) : text;
    return new Attempt(m.attempt(), Instant.now(clock), errorClass, errorType,
        DeadLetterFormat.cut(message, format.maxErrorMessageChars()), Duration.ofNanos(took), workerId);
  }

  private ErrorClass classify(Throwable t) {
    try {
      ErrorClass ec = classifier.classify(t);
      return ec != null ? ec : ErrorClass.UNKNOWN;
    } catch (RuntimeException e) {
      log.warn("error classifier failed on {}; using UNKNOWN", t.toString(), e);
      return ErrorClass.UNKNOWN;
    }
  }
}
