package dev.dlq.bench;

import java.util.Map;

/** Reading the bench commands' {@code --key value} options. */
final class Options {
  private Options() {}

  /**
   * The number given for {@code --key}, or {@code def} when it was not given.
   *
   * @throws IllegalArgumentException naming the option and its range when the value is not a whole
   *     number from {@code min} to {@code max}
   */
  static long number(Map<String, String> o, String key, long def, long min, long max) {
    String v = o.get(key);
    if (v == null) {
      return def;
    }
    try {
      long n = Long.parseLong(v.replace("_", ""));
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--" + key + " must be a number from " + min + " to " + max + " but was '" + v + "'");
  }
}
