package dev.dlq.admin;

import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import picocli.CommandLine.Option;

/** Which dead letters a command applies to (a picocli mixin); every bad value names its option. */
final class FilterOptions {
  @Option(names = "--type", paramLabel = "TYPE", description = "message type") String type;
  @Option(names = "--error-class", paramLabel = "CLASS",
      description = "RECOVERABLE, USER_ERROR, SYSTEM_ERROR or UNKNOWN") String errorClass;
  @Option(names = "--error-type", paramLabel = "CLASSNAME", description = "the exception's class name") String errorType;
  @Option(names = "--status", paramLabel = "STATUS", description = "PENDING, REPLAYED, RESOLVED or DISCARDED") String status;
  @Option(names = "--reason", paramLabel = "REASON", description = "why it died: EXHAUSTED, NON_RETRYABLE, ...") String reason;
  @Option(names = "--source", paramLabel = "QUEUE", description = "the queue, subject or URL it came from") String source;
  @Option(names = "--fingerprint", paramLabel = "F", description = "the failure group") String fingerprint;
  @Option(names = "--since", paramLabel = "TIME", description = "dead at or after: 2026-01-31T00:00:00Z or an age, 2h, 7d")
  String since;
  @Option(names = "--until", paramLabel = "TIME", description = "dead before: a time or an age") String until;
  @Option(names = "--payload-field", paramLabel = "PATH=VALUE",
      description = "JSON payload field equals value, such as customer.id=42; repeatable (all must hold)")
  java.util.List<String> payloadFields;
  @Option(names = "--payload-contains", paramLabel = "TEXT", description = "the payload contains this text (case-sensitive)")
  String payloadContains;

  DeadLetterFilter filter() {
    DeadLetterFilter.Builder b = DeadLetterFilter.builder();
    if (type != null) {
      b.type(Filters.nonBlank("--type", type));
    }
    if (errorClass != null) {
      b.errorClass(Filters.enumValue("--error-class", ErrorClass.class, errorClass));
    }
    if (errorType != null) {
      b.errorType(Filters.nonBlank("--error-type", errorType));
    }
    if (status != null) {
      b.status(Filters.enumValue("--status", DeadLetterStatus.class, status));
    }
    if (reason != null) {
      b.reason(Filters.enumValue("--reason", DeadLetterReason.class, reason));
    }
    if (source != null) {
      b.source(Filters.nonBlank("--source", source));
    }
    if (fingerprint != null) {
      b.fingerprint(Filters.nonBlank("--fingerprint", fingerprint));
    }
    if (since != null) {
      b.deadFrom(Filters.instant("--since", since));
    }
    if (until != null) {
      b.deadBefore(Filters.instant("--until", until));
    }
    for (String f : payloadFields != null ? payloadFields : java.util.List.<String>of()) {
      Filters.payloadField(b, "--payload-field", f);
    }
    if (payloadContains != null) {
      b.payloadContains(Filters.bounded("--payload-contains", payloadContains, 1000));
    }
    return b.build();
  }
}
