package dev.dlq.opentelemetry;

import dev.dlq.Message;
import dev.dlq.SourceRef;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;

/** The attribute names dlq's spans carry: OpenTelemetry's messaging conventions plus {@code dlq.*}. */
final class SpanAttributes {
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("dlq.attempt");
  static final AttributeKey<String> TYPE = AttributeKey.stringKey("dlq.type");
  static final AttributeKey<String> ERROR_CLASS = AttributeKey.stringKey("dlq.error.class");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<Long> RETRY_DELAY_MS = AttributeKey.longKey("dlq.retry.delay_ms");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("dlq.dead_letter.reason");
  static final AttributeKey<String> DEAD_LETTER_ID = AttributeKey.stringKey("dlq.dead_letter.id");
  static final AttributeKey<String> RECORD_RESULT = AttributeKey.stringKey("dlq.dead_letter.result");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("dlq.outcome");
  static final AttributeKey<String> OPERATOR = AttributeKey.stringKey("dlq.replay.operator");
  static final AttributeKey<String> REPLAY_ID = AttributeKey.stringKey("dlq.replay.id");
  static final AttributeKey<Long> REPLAYED = AttributeKey.longKey("dlq.replay.replayed");
  static final AttributeKey<Long> SKIPPED = AttributeKey.longKey("dlq.replay.skipped");

  private SpanAttributes() {}

  /** OpenTelemetry's {@code messaging.system} value for a dlq backend name. */
  static String system(SourceRef source) {
    switch (source.backend()) {
      case "postgres":
        return "postgresql";
      case "sqs":
        return "aws_sqs";
      default:
        return source.backend();
    }
  }

  /** What every span about {@code m} carries. */
  static Attributes of(Message m, String operation) {
    AttributesBuilder b = Attributes.builder()
        .put(SYSTEM, system(m.source()))
        .put(DESTINATION, m.source().destination())
        .put(MESSAGE_ID, m.id())
        .put(ATTEMPT, (long) m.attempt())
        .put(TYPE, m.type());
    if (operation != null) {
      b.put(OPERATION, operation);
    }
    return b.build();
  }
}
