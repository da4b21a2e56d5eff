package dev.dlq.admin;

/**
 * Text that came from a browser or a shell made safe to keep and print: no control characters,
 * line or paragraph separators or bidi overrides (they could forge an audit line or hide text),
 * bounded in length.
 */
final class Text {
  private Text() {}

  /** {@code s} with every unsafe character turned into a space, trimmed, at most {@code max} code points. */
  static String clean(String s, int max) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), max));
    int n = 0;
    for (int i = 0; i < s.length() && n < max; ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      b.appendCodePoint(unsafe(cp) ? ' ' : cp);
      n++;
    }
    return b.toString().trim();
  }

  /** {@code s} cleaned, or {@code fallback} when nothing is left. */
  static String name(String s, String fallback) {
    String c = clean(s, 64);
    return c.isEmpty() ? fallback : c;
  }

  static boolean hasUnsafe(String s) {
    return s.codePoints().anyMatch(Text::unsafe);
  }

  private static boolean unsafe(int cp) {
    return Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
  }
}
