package dev.dlq.internal.replay;

import dev.dlq.DeadLetterFormat;
import dev.dlq.internal.json.PayloadJson;
import jakarta.json.JsonValue;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The audited diff of an edit, one line per change: headers added, removed or changed; JSON payloads
 * field by field (leaf paths); other payloads by size, hash and (bounded) text. Values are cut so the
 * audit entry stays small.
 */
final class EditDiff {
  static final int MAX_VALUE = 200;
  static final int MAX_LINES = 100;

  private EditDiff() {}

  /**
   * The diff, with the values of the headers and JSON payload fields {@code format} redacts shown as
   * {@link DeadLetterFormat#REDACTED} (the audit log is readable by every viewer).
   */
  static List<String> of(DeadLetterFormat format, Map<String, String> oldHeaders, Map<String, String> newHeaders,
      byte[] oldPayload, byte[] newPayload) {
    List<String> out = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(oldHeaders.keySet());
    names.addAll(newHeaders.keySet());
    for (String k : names) {
      String before = oldHeaders.get(k);
      String after = newHeaders.get(k);
      if (format.redactHeaders().contains(k.toLowerCase(Locale.ROOT)) && !Objects.equals(before, after)) {
        out.add(before == null ? "+ header " + k + " = " + DeadLetterFormat.REDACTED
            : after == null ? "- header " + k + " (was " + DeadLetterFormat.REDACTED + ")"
            : "~ header " + k + ": " + DeadLetterFormat.REDACTED + " -> " + DeadLetterFormat.REDACTED);
      } else {
        change(out, "header " + k, before, after);
      }
    }
    if (!Arrays.equals(oldPayload, newPayload)) {
      Optional<JsonValue> a = PayloadJson.parse(format.applyToPayload(oldPayload));
      Optional<JsonValue> b = PayloadJson.parse(format.applyToPayload(newPayload));
      if (a.isPresent() && b.isPresent()) {
        Map<String, String> fa = new LinkedHashMap<>();
        Map<String, String> fb = new LinkedHashMap<>();
        PayloadJson.flatten("", a.get(), fa);
        PayloadJson.flatten("", b.get(), fb);
        java.util.LinkedHashSet<String> paths = new java.util.LinkedHashSet<>(fa.keySet());
        paths.addAll(fb.keySet());
        int before = out.size();
        for (String p : paths) {
          change(out, "payload " + p, fa.get(p), fb.get(p));
        }
        if (out.size() == before) { // same JSON after redaction: spacing, key order, or a redacted field
          out.add("payload changed (reformatted, or in redacted fields): " + describe(oldPayload) + " -> "
              + describe(newPayload));
        }
      } else {
        out.add("payload " + describe(oldPayload) + " -> " + describe(newPayload));
        text(oldPayload).ifPresent(t -> out.add("payload was: " + cut(t)));
        text(newPayload).ifPresent(t -> out.add("payload now: " + cut(t)));
      }
    }
    if (out.size() > MAX_LINES) {
      int more = out.size() - MAX_LINES;
      List<String> head = new ArrayList<>(out.subList(0, MAX_LINES));
      head.add("... and " + more + " more changes");
      return head;
    }
    return out;
  }

  private static void change(List<String> out, String what, String before, String after) {
    if (Objects.equals(before, after)) {
      return;
    }
    if (before == null) {
      out.add("+ " + what + " = " + cut(after));
    } else if (after == null) {
      out.add("- " + what + " (was " + cut(before) + ")");
    } else {
      out.add("~ " + what + ": " + cut(before) + " -> " + cut(after));
    }
  }

  private static String describe(byte[] payload) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(payload);
      return payload.length + " bytes (sha256 " + HexFormat.of().formatHex(h, 0, 6) + ")";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }

  private static Optional<String> text(byte[] payload) {
    try {
      String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
      return s.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t') ? Optional.empty() : Optional.of(s);
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  static String cut(String s) {
    String one = s.replace("\n", "\\n").replace("\r", "\\r");
    return one.length() <= MAX_VALUE ? one : one.substring(0, MAX_VALUE) + "...(" + one.length() + " chars)";
  }
}
