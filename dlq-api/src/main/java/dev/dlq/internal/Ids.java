package dev.dlq.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** Derived identifiers. */
public final class Ids {
  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every Java platform", e);
    }
  });

  private Ids() {}

  /** A version-3 (name-based) UUID over backend, destination and message id, NUL-separated. */
  public static String deadLetterId(String backend, String destination, String messageId) {
    MessageDigest md = MD5.get();
    md.reset();
    md.update(backend.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
    md.update(destination.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
    byte[] hash = md.digest(messageId.getBytes(StandardCharsets.UTF_8));
    hash[6] &= 0x0f;
    hash[6] |= 0x30;
    hash[8] &= 0x3f;
    hash[8] |= (byte) 0x80;
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (hash[i] & 0xff);
    }
    for (int i = 8; i < 16; i++) {
      lsb = (lsb << 8) | (hash[i] & 0xff);
    }
    return new UUID(msb, lsb).toString();
  }

  /** A short hex fingerprint (first 16 hex digits of MD5) over {@code text}. */
  public static String shortHash(String text) {
    MessageDigest md = MD5.get();
    md.reset();
    byte[] hash = md.digest(text.getBytes(StandardCharsets.UTF_8));
    StringBuilder sb = new StringBuilder(16);
    for (int i = 0; i < 8; i++) {
      sb.append(Character.forDigit((hash[i] >> 4) & 0xf, 16)).append(Character.forDigit(hash[i] & 0xf, 16));
    }
    return sb.toString();
  }
}
