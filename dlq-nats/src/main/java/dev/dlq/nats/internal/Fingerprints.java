package dev.dlq.nats.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/** Failure-group fingerprints for deaths recorded outside a worker (the backstop), in the worker's shape. */
final class Fingerprints {
  private static final Pattern UUIDS = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern HEX = Pattern.compile("\\b(?:0x)?[0-9a-fA-F]{8,}\\b");
  private static final Pattern NUMBERS = Pattern.compile("\\d+");

  private Fingerprints() {}

  /** Type, message with ids and numbers blanked, no frames, message type: 16 hex digits of MD5. */
  static String of(String errorType, String message, String messageType) {
    String s = message.length() > 512 ? message.substring(0, 512) : message;
    s = NUMBERS.matcher(HEX.matcher(UUIDS.matcher(s).replaceAll("<uuid>")).replaceAll("<hex>")).replaceAll("#");
    String text = errorType + "|" + s + "||" + messageType;
    try {
      byte[] hash = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(16);
      for (int i = 0; i < 8; i++) {
        sb.append(Character.forDigit((hash[i] >> 4) & 0xf, 16)).append(Character.forDigit(hash[i] & 0xf, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every Java platform", e);
    }
  }
}
