package dev.dlq.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line arguments: {@code --name value} options, {@code --flag} switches and positional
 * words. Unknown options are errors that name the option.
 */
final class Args {
  final Map<String, String> options = new LinkedHashMap<>();
  final List<String> settings = new ArrayList<>();
  final List<String> positional = new ArrayList<>();
  final java.util.Set<String> flags = new java.util.HashSet<>();
  /** Every value of each option, in order, for the options that may be repeated. */
  final Map<String, List<String>> all = new LinkedHashMap<>();

  static Args parse(List<String> args, Set<String> valued, Set<String> switches) {
    Args a = new Args();
    for (int i = 0; i < args.size(); i++) {
      String s = args.get(i);
      if (s.startsWith("--")) {
        String name = s.substring(2);
        String inline = null;
        int eq = name.indexOf('=');
        if (eq > 0 && !name.startsWith("set")) {
          inline = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (switches.contains(name)) {
          a.flags.add(name);
        } else if (name.equals("set")) {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException("--set needs key=value");
          }
          a.settings.add(args.get(++i));
        } else if (valued.contains(name)) {
          if (inline == null && i + 1 >= args.size()) {
            throw new IllegalArgumentException("--" + name + " needs a value");
          }
          String v = inline != null ? inline : args.get(++i);
          a.options.put(name, v);
          a.all.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
        } else {
          throw new IllegalArgumentException("unknown option '--" + name + "'");
        }
      } else {
        a.positional.add(s);
      }
    }
    return a;
  }

  String get(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  /** Every value given for {@code name}, in order (empty when none). */
  List<String> values(String name) {
    return all.getOrDefault(name, List.of());
  }

  boolean has(String flag) {
    return flags.contains(flag);
  }
}
