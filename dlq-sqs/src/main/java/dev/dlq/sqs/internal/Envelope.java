package dev.dlq.sqs.internal;

import dev.dlq.spi.Checks;
import static dev.dlq.sqs.SqsEnvelope.ENCODING;
import static dev.dlq.sqs.SqsEnvelope.ID;
import static dev.dlq.sqs.SqsEnvelope.TYPE;

import dev.dlq.InvalidMessageException;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** Encodes messages into the SQS envelope and decodes received ones (see {@link dev.dlq.sqs.SqsEnvelope}). */
public final class Envelope {
  static final String BASE64 = "base64";
  static final String EMPTY = "empty";
  /** SQS refuses an empty body; a payload of no bytes travels as this placeholder with encoding "empty". */
  private static final String EMPTY_BODY = "-";
  /** SQS allows at most 10 message attributes. */
  public static final int MAX_ATTRIBUTES = 10;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,256}");

  private Envelope() {}

  /** What a received SQS message decodes to; {@code failure} is set when its body could not be decoded. */
  public record Decoded(Message message, Throwable failure) {}

  public static SendMessageRequest.Builder request(String queueUrl, String id, String type, byte[] payload,
      Map<String, String> headers) {
    Checks.notBlank(queueUrl, "queueUrl");
    Checks.notNull(payload, "payload");
    Checks.notNull(headers, "headers");
    Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
    headers.forEach((k, v) -> {
      checkName(k);
      if (k.equals(ID) || k.equals(TYPE) || k.equals(ENCODING)) {
        throw new IllegalArgumentException("header '" + k + "' is reserved for the envelope");
      }
      if (v == null || v.isEmpty()) {
        throw new IllegalArgumentException("header '" + k + "' must have a value: SQS refuses empty attribute values");
      }
      attrs.put(k, string(v));
    });
    if (id != null) {
      attrs.put(ID, string(Checks.notBlank(id, "id")));
    }
    if (type != null) {
      attrs.put(TYPE, string(Checks.notBlank(type, "type")));
    }
    String body;
    if (payload.length == 0) {
      attrs.put(ENCODING, string(EMPTY));
      body = EMPTY_BODY;
    } else {
      body = asSqsText(payload);
      if (body == null) {
        attrs.put(ENCODING, string(BASE64));
        body = Base64.getEncoder().encodeToString(payload);
      }
    }
    if (attrs.size() > MAX_ATTRIBUTES) {
      throw new IllegalArgumentException("an SQS message takes at most " + MAX_ATTRIBUTES
          + " attributes but this one needs " + attrs.size() + " (" + attrs.keySet() + ")");
    }
    return SendMessageRequest.builder().queueUrl(queueUrl).messageBody(body).messageAttributes(attrs);
  }

  public static MessageAttributeValue string(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  public static MessageAttributeValue number(long value) {
    return MessageAttributeValue.builder().dataType("Number").stringValue(Long.toString(value)).build();
  }

  /** Decodes {@code m} received from {@code source}; never throws for a bad body (see {@link Decoded#failure()}). */
  public static Decoded decode(software.amazon.awssdk.services.sqs.model.Message m, SourceRef source,
      String defaultType, Instant now) {
    Map<String, MessageAttributeValue> attrs = m.messageAttributes();
    String id = text(attrs.get(ID));
    String type = text(attrs.get(TYPE));
    String encoding = text(attrs.get(ENCODING));
    Map<String, String> headers = new HashMap<>();
    attrs.forEach((k, v) -> {
      if (!k.equals(ID) && !k.equals(TYPE) && !k.equals(ENCODING) && v.stringValue() != null
          && (v.dataType().startsWith("String") || v.dataType().startsWith("Number"))) {
        headers.put(k, v.stringValue());
      }
    });
    Map<MessageSystemAttributeName, String> sys = m.attributes();
    int attempt = Math.max(1, parseInt(sys.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT), 1));
    Instant firstSeen = parseMillis(sys.get(MessageSystemAttributeName.SENT_TIMESTAMP), now);
    byte[] payload;
    Throwable failure = null;
    String body = m.body() == null ? "" : m.body();
    if (encoding == null) {
      payload = body.getBytes(StandardCharsets.UTF_8);
    } else if (encoding.equals(BASE64)) {
      byte[] decoded;
      try {
        decoded = Base64.getDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        decoded = null;
        failure = new InvalidMessageException("body of SQS message " + m.messageId() + " is not valid base64 although "
            + ENCODING + " says so: " + e.getMessage(), e);
      }
      payload = decoded != null ? decoded : body.getBytes(StandardCharsets.UTF_8);
    } else if (encoding.equals(EMPTY)) {
      payload = new byte[0];
    } else {
      payload = body.getBytes(StandardCharsets.UTF_8);
      failure = new InvalidMessageException("SQS message " + m.messageId() + " has unknown " + ENCODING + " '" + encoding
          + "' (known: " + BASE64 + ", " + EMPTY + ")");
    }
    Message message = new Message(id != null ? id : m.messageId(), type != null ? type : defaultType, payload, headers,
        source, attempt, firstSeen);
    return new Decoded(message, failure);
  }

  /** The payload as SQS message text, or null when it is not UTF-8 or holds characters SQS refuses. */
  static String asSqsText(byte[] payload) {
    CharBuffer chars;
    try {
      chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload));
    } catch (CharacterCodingException e) {
      return null;
    }
    String s = chars.toString();
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      boolean allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
          || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
      if (!allowed) {
        return null;
      }
      i += Character.charCount(cp);
    }
    return s;
  }

  static void checkName(String name) {
    String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
    if (name == null || !NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".")
        || name.contains("..") || lower.startsWith("aws.") || lower.startsWith("amazon.")) {
      throw new IllegalArgumentException("header '" + name + "' cannot be an SQS message attribute name: use up to 256 of"
          + " A-Z a-z 0-9 _ - . (no leading, trailing or double '.', no 'AWS.' or 'Amazon.' prefix)");
    }
  }

  static String text(MessageAttributeValue v) {
    if (v == null || v.stringValue() == null || v.stringValue().isBlank()) {
      return null;
    }
    return v.stringValue();
  }

  static int parseInt(String s, int fallback) {
    if (s == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  static Instant parseMillis(String s, Instant fallback) {
    if (s == null) {
      return fallback;
    }
    try {
      return Instant.ofEpochMilli(Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
