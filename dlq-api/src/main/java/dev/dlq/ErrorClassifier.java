package dev.dlq;

import dev.dlq.internal.Providers;
import dev.dlq.internal.classify.ChainClassifier;
import dev.dlq.internal.classify.DefaultClassifier;
import java.util.Arrays;
import java.util.List;

/**
 * Maps a throwable to an {@link ErrorClass}. {@link ErrorClass#UNKNOWN} means "no opinion": in a
 * chain the next classifier is asked. Classifiers with a higher {@link #priority()} are asked first.
 *
 * <p>Backends contribute classifiers for their own exceptions through {@link java.util.ServiceLoader}
 * ({@code provides dev.dlq.ErrorClassifier}); {@link #defaults()} includes them. Implementations
 * must be thread-safe and must not throw.
 */
@FunctionalInterface
public interface ErrorClassifier {

  /**
   * The class of {@code error}, or {@link ErrorClass#UNKNOWN} when this classifier cannot tell.
   *
   * @param error what the processor threw
   * @return the class, never null
   */
  ErrorClass classify(Throwable error);

  /**
   * Higher runs first in a chain; the built-in rules run at 0.
   *
   * @return the priority; 0 by default
   */
  default int priority() {
    return 0;
  }

  /**
   * The built-in rules plus every classifier found with {@link java.util.ServiceLoader}: exceptions
   * implementing {@link Classified} report their own class; validation errors
   * ({@link IllegalArgumentException}, {@link InvalidMessageException}, parse errors) are USER_ERROR;
   * timeouts, I/O and transient SQL errors are RECOVERABLE; programming errors are SYSTEM_ERROR;
   * the rest UNKNOWN. The cause chain is walked.
   *
   * @return the default classifier, found once and then reused
   */
  static ErrorClassifier defaults() {
    return Providers.defaultClassifier();
  }

  /**
   * Only the built-in rules, without discovered classifiers.
   *
   * @return the built-in classifier
   */
  static ErrorClassifier builtIn() {
    return DefaultClassifier.INSTANCE;
  }

  /**
   * Asks {@code classifiers} by descending priority (stable for equal ones); the first answer other than UNKNOWN wins.
   * A classifier that throws, or answers null, is skipped. The chain's priority is its highest one.
   *
   * @param classifiers the classifiers
   * @return the chain; UNKNOWN for every error when it is empty
   * @throws IllegalArgumentException when one of {@code classifiers} is null
   * @throws NullPointerException when {@code classifiers} itself is null
   */
  static ErrorClassifier chain(ErrorClassifier... classifiers) {
    return chain(Arrays.asList(classifiers));
  }

  /**
   * As {@link #chain(ErrorClassifier...)}.
   *
   * @param classifiers the classifiers, copied
   * @return the chain
   * @throws IllegalArgumentException when one of {@code classifiers} is null
   * @throws NullPointerException when {@code classifiers} itself is null
   */
  static ErrorClassifier chain(List<? extends ErrorClassifier> classifiers) {
    return new ChainClassifier(classifiers);
  }

  /**
   * This classifier first, then {@code next}, which is asked when this one answers UNKNOWN.
   *
   * @param next the classifier asked second
   * @return the combined classifier, at the default priority
   */
  default ErrorClassifier orElse(ErrorClassifier next) {
    ErrorClassifier self = this;
    return error -> {
      ErrorClass c = self.classify(error);
      return c != ErrorClass.UNKNOWN ? c : next.classify(error);
    };
  }
}
