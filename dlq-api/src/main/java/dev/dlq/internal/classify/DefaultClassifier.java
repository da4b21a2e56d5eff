package dev.dlq.internal.classify;

import dev.dlq.Classified;
import dev.dlq.ErrorClass;
import dev.dlq.ErrorClassifier;
import dev.dlq.InvalidMessageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;

/** The built-in rules; walks the cause chain, outermost verdict first. Stateless. */
public final class DefaultClassifier implements ErrorClassifier {
  public static final DefaultClassifier INSTANCE = new DefaultClassifier();
  private static final int MAX_DEPTH = 16;

  private DefaultClassifier() {}

  @Override
  public ErrorClass classify(Throwable error) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
      ErrorClass c = classifyOne(t);
      if (c != ErrorClass.UNKNOWN) {
        return c;
      }
    }
    return ErrorClass.UNKNOWN;
  }

  private static ErrorClass classifyOne(Throwable t) {
    if (t instanceof Classified c) {
      return c.errorClass();
    }
    if (t instanceof InvalidMessageException
        || t instanceof IllegalArgumentException // includes NumberFormatException
        || t instanceof DateTimeParseException
        || isValidationError(t)) {
      return ErrorClass.USER_ERROR;
    }
    if (t instanceof TimeoutException
        || t instanceof IOException // includes SocketTimeoutException, ConnectException
        || t instanceof UncheckedIOException
        || t instanceof SQLTransientException
        || t instanceof SQLRecoverableException
        || t instanceof InterruptedException) {
      return ErrorClass.RECOVERABLE;
    }
    if (t instanceof NullPointerException
        || t instanceof ClassCastException
        || t instanceof IndexOutOfBoundsException
        || t instanceof ArithmeticException
        || t instanceof IllegalStateException
        || t instanceof UnsupportedOperationException
        || t instanceof LinkageError
        || t instanceof VirtualMachineError) {
      return ErrorClass.SYSTEM_ERROR;
    }
    return ErrorClass.UNKNOWN;
  }

  /** Bean Validation and similar libraries, matched by name so that none is a dependency. */
  private static boolean isValidationError(Throwable t) {
    for (Class<?> c = t.getClass(); c != null && c != Throwable.class; c = c.getSuperclass()) {
      String name = c.getSimpleName();
      if (name.endsWith("ValidationException") || name.equals("ConstraintViolationException")) {
        return true;
      }
    }
    return false;
  }
}
