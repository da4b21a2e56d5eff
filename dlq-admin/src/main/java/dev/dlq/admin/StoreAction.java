package dev.dlq.admin;

import dev.dlq.DeadLetterFormat;
import dev.dlq.spi.DeadLetterStore;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A command on one dead-letter store ({@link StoreOptions}): opens it, runs, closes it. */
abstract class StoreAction extends Action {
  @Mixin StoreOptions storeOptions;

  @Override
  final int run() throws Exception {
    try (DeadLetterStore store = storeOptions.open(env())) {
      return run(store);
    }
  }

  abstract int run(DeadLetterStore store) throws Exception;

  /** Every id is in the store, or {@link Exit.NotFound} naming those that are not (nothing was done). */
  static void requireKnown(DeadLetterStore store, List<String> ids) {
    List<String> unknown = ids.stream().filter(id -> store.get(id).isEmpty()).map(id -> Text.clean(id, 100)).toList();
    if (!unknown.isEmpty()) {
      throw new Exit.NotFound("no dead letter with id " + String.join(", ", unknown.stream().map(i -> "'" + i + "'")
          .toList()) + "; nothing was done");
    }
  }

  /** {@code --operator}: who the audit log says did it. */
  static final class OperatorOption {
    @Option(names = "--operator", paramLabel = "NAME", description = "who does it, for the audit log (default $USER)")
    String operator;

    String name(java.util.Map<String, String> env) {
      return Text.name(operator != null ? operator : env.getOrDefault("USER", "cli"), "cli");
    }
  }

  /** {@code --redact-header}, {@code --redact-field}: what every view and export hides. */
  static final class RedactionOptions {
    @Option(names = "--redact-header", paramLabel = "H1,H2", split = ",", hideParamSyntax = true, description = "headers to hide")
    Set<String> headers;

    @Option(names = "--redact-field", paramLabel = "F1,F2", split = ",", hideParamSyntax = true, description = "JSON payload fields to hide")
    Set<String> fields;

    DeadLetterFormat format() {
      DeadLetterFormat f = DeadLetterFormat.defaults();
      if (headers != null && !headers.isEmpty()) {
        f = f.withRedactedHeaders(headers);
      }
      if (fields != null && !fields.isEmpty()) {
        f = f.withRedactedPayloadFields(fields);
      }
      return f;
    }

    Views views() {
      return new Views(format());
    }
  }
}
