package dev.dlq.nats;

import dev.dlq.spi.Checks;
import dev.dlq.DlqException;
import java.util.Map;

/**
 * Finds the type of a work message from its subject and headers. The type routes processors and names
 * the DLQ subject {@code <prefix>.dlq.<type>}. A message whose type no rule can tell is undecodable:
 * the worker dead-letters it at once as INVALID.
 *
 * <p>The default, {@link #defaults()}, reads the {@link NatsHeaders#TYPE} header and falls back to the
 * subject's last token ({@code sahool.analysis.soil_ready} has type {@code soil_ready}).
 * Implementations must be thread-safe and quick: they run for every message.
 */
@FunctionalInterface
public interface TypeRule {

  /**
   * The type of a message on {@code subject} with {@code headers}, or null when this rule cannot tell.
   *
   * @param subject the message's subject
   * @param headers the message's headers
   * @return the type, or null
   */
  String typeOf(String subject, Map<String, String> headers);

  /**
   * This rule, and {@code next} when this one cannot tell.
   *
   * @param next the rule asked when this one cannot tell
   * @return the chain
   */
  default TypeRule orElse(TypeRule next) {
    Checks.notNull(next, "next");
    TypeRule self = this;
    return (subject, headers) -> {
      String t = self.typeOf(subject, headers);
      return t != null && !t.isBlank() ? t : next.typeOf(subject, headers);
    };
  }

  /**
   * The {@link NatsHeaders#TYPE} header, else the subject's last token.
   *
   * @return the rule
   */
  static TypeRule defaults() {
    return header(NatsHeaders.TYPE).orElse(lastToken());
  }

  /**
   * The value of header {@code name}.
   *
   * @param name the header's name
   * @return the rule
   */
  static TypeRule header(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("header name must not be blank");
    }
    return (subject, headers) -> headers.get(name);
  }

  /**
   * The whole subject.
   *
   * @return the rule
   */
  static TypeRule subject() {
    return (subject, headers) -> subject;
  }

  /**
   * The subject's last token.
   *
   * @return the rule
   */
  static TypeRule lastToken() {
    return token(-1);
  }

  /**
   * Token {@code index} of the subject, 0-based; negative counts from the end (-1 is the last).
   *
   * @param index the token's position, 0-based; negative counts from the end
   * @return the rule
   */
  static TypeRule token(int index) {
    return (subject, headers) -> {
      // found with indexOf, not split: this runs once per message
      int count = 1;
      for (int at = subject.indexOf('.'); at >= 0; at = subject.indexOf('.', at + 1)) {
        count++;
      }
      int i = index >= 0 ? index : count + index;
      if (i < 0 || i >= count) {
        return null;
      }
      int start = 0;
      for (int k = 0; k < i; k++) {
        start = subject.indexOf('.', start) + 1;
      }
      int end = subject.indexOf('.', start);
      String token = subject.substring(start, end < 0 ? subject.length() : end);
      return token.isEmpty() ? null : token;
    };
  }

  /**
   * The rest of the subject after {@code prefix} and a dot ({@code orders.eu.created} after {@code orders} is {@code eu.created}).
   *
   * @param prefix the subject prefix, without the trailing dot
   * @return the rule
   */
  static TypeRule afterPrefix(String prefix) {
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalArgumentException("prefix must not be blank");
    }
    String p = prefix.endsWith(".") ? prefix : prefix + ".";
    return (subject, headers) -> subject.startsWith(p) && subject.length() > p.length() ? subject.substring(p.length()) : null;
  }

  /**
   * A chain of rules from text, first first, separated by commas: {@code header:NAME},
   * {@code last-token}, {@code subject}, {@code token:N}, {@code after:PREFIX}; for example
   * {@code header:Dlq-Type,last-token} (the default).
   *
   * @param spec the rules, comma separated
   * @return the chain
   * @throws DlqException naming the part that is not a rule
   */
  static TypeRule parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new DlqException("type rule must not be blank; use for example 'header:Dlq-Type,last-token'");
    }
    TypeRule rule = null;
    for (String part : spec.split(",")) {
      String p = part.trim();
      TypeRule one;
      if (p.equals("last-token")) {
        one = lastToken();
      } else if (p.equals("subject")) {
        one = subject();
      } else if (p.startsWith("header:") && p.length() > 7) {
        one = header(p.substring(7));
      } else if (p.startsWith("after:") && p.length() > 6) {
        one = afterPrefix(p.substring(6));
      } else if (p.startsWith("token:")) {
        try {
          one = token(Integer.parseInt(p.substring(6)));
        } catch (NumberFormatException e) {
          throw new DlqException("type rule part '" + p + "' needs a whole number after 'token:'", e);
        }
      } else {
        throw new DlqException("type rule part '" + p + "' is not one of header:NAME, last-token, subject, token:N, after:PREFIX");
      }
      rule = rule == null ? one : rule.orElse(one);
    }
    return rule;
  }
}
