package dev.dlq.admin;

import dev.dlq.DlqException;
import dev.dlq.InvalidSettingException;
import dev.dlq.ProviderNotFoundException;
import dev.dlq.SchemaMissingException;
import dev.dlq.StoreUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * The exit codes of every {@code dlq} command, one per kind of failure whatever the command:
 * {@value #OK} done, {@value #FAILED} failed, {@value #USAGE} bad usage or input (nothing was done),
 * {@value #NOT_FOUND} an id that is not there (nothing was done), {@value #STORE_UNAVAILABLE} the
 * store cannot be used (unreachable, or its schema missing or behind: {@code dlq migrate}).
 */
final class Exit {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int NOT_FOUND = 3;
  static final int STORE_UNAVAILABLE = 4;

  /** The lines {@code dlq --help} ends with. */
  static final String[] FOOTER = {
      "", "Exit codes: 0 done, 1 failed, 2 bad usage or input (nothing done), 3 not found (nothing done),",
      "            4 store unavailable (unreachable, or its schema missing: dlq migrate)."};

  private Exit() {}

  /** An id the operator named is not in the store; nothing was done. */
  static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }

  /** The code for a failure. */
  static int codeFor(Throwable e) {
    if (e instanceof NotFound) {
      return NOT_FOUND;
    }
    if (e instanceof StoreUnavailableException || e instanceof SchemaMissingException) {
      return STORE_UNAVAILABLE;
    }
    if (e instanceof IllegalArgumentException || e instanceof InvalidSettingException || e instanceof dev.dlq.EditNotAllowedException
        || e instanceof ProviderNotFoundException || e instanceof CommandLine.ParameterException) {
      return USAGE;
    }
    if (e instanceof DlqException || e instanceof IOException || e instanceof UncheckedIOException) {
      return FAILED;
    }
    return FAILED;
  }
}
