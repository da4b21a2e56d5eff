package dev.dlq.internal.classify;

import dev.dlq.ErrorClass;
import dev.dlq.ErrorClassifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Asks classifiers in descending priority; the first non-UNKNOWN answer wins. Immutable. */
public final class ChainClassifier implements ErrorClassifier {
  private final ErrorClassifier[] chain;
  private final int priority;

  public ChainClassifier(List<? extends ErrorClassifier> classifiers) {
    List<ErrorClassifier> sorted = new ArrayList<>();
    for (ErrorClassifier c : Objects.requireNonNull(classifiers, "classifiers must not be null")) {
      if (c == null) {
        throw new IllegalArgumentException("classifiers must not contain null");
      }
      sorted.add(c);
    }
    sorted.sort(Comparator.comparingInt(ErrorClassifier::priority).reversed());
    this.chain = sorted.toArray(new ErrorClassifier[0]);
    this.priority = sorted.isEmpty() ? 0 : sorted.get(0).priority();
  }

  @Override
  public ErrorClass classify(Throwable error) {
    for (ErrorClassifier c : chain) {
      ErrorClass verdict;
      try {
        verdict = c.classify(error);
      } catch (RuntimeException e) {
        // a broken classifier must not turn a failure into a lost message
        continue;
      }
      if (verdict != null && verdict != ErrorClass.UNKNOWN) {
        return verdict;
      }
    }
    return ErrorClass.UNKNOWN;
  }

  @Override
  public int priority() {
    return priority;
  }
}
