package dev.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {
  private final ErrorClassifier defaults = ErrorClassifier.builtIn();

  static class OrderValidationException extends RuntimeException {}

  @Test
  void validationErrorsAreUserErrors() {
    assertThat(defaults.classify(new IllegalArgumentException("bad"))).isEqualTo(ErrorClass.USER_ERROR);
    assertThat(defaults.classify(new NumberFormatException("x"))).isEqualTo(ErrorClass.USER_ERROR);
    assertThat(defaults.classify(new DateTimeParseException("x", "y", 0))).isEqualTo(ErrorClass.USER_ERROR);
    assertThat(defaults.classify(new InvalidMessageException("x"))).isEqualTo(ErrorClass.USER_ERROR);
    assertThat(defaults.classify(new OrderValidationException())).isEqualTo(ErrorClass.USER_ERROR);
  }

  @Test
  void timeoutsIoAndTransientSqlAreRecoverable() {
    assertThat(defaults.classify(new TimeoutException())).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(defaults.classify(new SocketTimeoutException())).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(defaults.classify(new IOException())).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(defaults.classify(new SQLTransientConnectionException())).isEqualTo(ErrorClass.RECOVERABLE);
  }

  @Test
  void bugsAreSystemErrorsAndTheRestUnknown() {
    assertThat(defaults.classify(new NullPointerException())).isEqualTo(ErrorClass.SYSTEM_ERROR);
    assertThat(defaults.classify(new IllegalStateException())).isEqualTo(ErrorClass.SYSTEM_ERROR);
    assertThat(defaults.classify(new RuntimeException("?"))).isEqualTo(ErrorClass.UNKNOWN);
    assertThat(defaults.classify(new Exception("?"))).isEqualTo(ErrorClass.UNKNOWN);
  }

  @Test
  void theCauseChainIsWalked() {
    assertThat(defaults.classify(new RuntimeException("wrapper", new SocketTimeoutException())))
        .isEqualTo(ErrorClass.RECOVERABLE);
  }

  @Test
  void classifiedExceptionsWinOverRules() {
    class Throttled extends IOException implements Classified {
      @Override
      public ErrorClass errorClass() {
        return ErrorClass.USER_ERROR;
      }
    }
    assertThat(defaults.classify(new Throttled())).isEqualTo(ErrorClass.USER_ERROR);
  }

  @Test
  void chainAsksByDescendingPriorityAndUnknownMeansNext() {
    ErrorClassifier low = new ErrorClassifier() {
      @Override
      public ErrorClass classify(Throwable e) {
        return ErrorClass.SYSTEM_ERROR;
      }

      @Override
      public int priority() {
        return -10;
      }
    };
    ErrorClassifier high = new ErrorClassifier() {
      @Override
      public ErrorClass classify(Throwable e) {
        return e instanceof IllegalStateException ? ErrorClass.RECOVERABLE : ErrorClass.UNKNOWN;
      }

      @Override
      public int priority() {
        return 10;
      }
    };
    ErrorClassifier chain = ErrorClassifier.chain(low, high);
    assertThat(chain.classify(new IllegalStateException())).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(chain.classify(new RuntimeException())).isEqualTo(ErrorClass.SYSTEM_ERROR);
    assertThat(ErrorClassifier.chain().classify(new RuntimeException())).isEqualTo(ErrorClass.UNKNOWN);
  }

  @Test
  void aThrowingClassifierIsSkipped() {
    ErrorClassifier broken = e -> {
      throw new IllegalStateException("broken");
    };
    assertThat(ErrorClassifier.chain(broken, defaults).classify(new IOException())).isEqualTo(ErrorClass.RECOVERABLE);
  }

  @Test
  void orElseFallsThroughOnUnknown() {
    ErrorClassifier first = e -> ErrorClass.UNKNOWN;
    assertThat(first.orElse(defaults).classify(new IOException())).isEqualTo(ErrorClass.RECOVERABLE);
  }

  @Test
  void defaultsIncludeTheBuiltInRules() {
    assertThat(ErrorClassifier.defaults().classify(new IOException())).isEqualTo(ErrorClass.RECOVERABLE);
  }
}
