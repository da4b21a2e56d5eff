package dev.dlq.admin;

import dev.dlq.Dlq;
import dev.dlq.spi.DeadLetterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which dead-letter store a command works on: {@code --store NAME} (or {@code DLQ_STORE}; default
 * "postgres"), {@code --url URL} (or {@code DLQ_STORE_URL}) and any number of {@code --set key=value}
 * provider settings.
 */
final class StoreOptions {
  static final Set<String> OPTIONS = Set.of("store", "url");

  private StoreOptions() {}

  static DeadLetterStore open(Args a, Map<String, String> env) {
    String name = a.get("store", env.getOrDefault("DLQ_STORE", "postgres"));
    Map<String, Object> settings = new LinkedHashMap<>();
    String url = a.get("url", env.get("DLQ_STORE_URL"));
    if (url != null) {
      settings.put("url", url);
    }
    for (String kv : a.settings) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set takes key=value but was '" + kv + "'");
      }
      settings.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return Dlq.store(name, settings);
  }
}
