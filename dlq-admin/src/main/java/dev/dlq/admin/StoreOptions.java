package dev.dlq.admin;

import dev.dlq.Dlq;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.ProviderNotFoundException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/**
 * Which dead-letter store a command works on (a picocli mixin): {@code --store NAME} (or
 * {@code DLQ_STORE}; default "postgres"), {@code --url URL} (or {@code DLQ_STORE_URL}) and
 * {@code --set key=value} settings. A key the provider does not read is an error naming the ones it
 * does ({@code DeadLetterStoreProvider.settingKeys()}). Nothing here changes a schema: PostgreSQL's
 * {@code migrate} is refused ({@code dlq migrate} does that) and NATS streams are not created unless
 * {@code --set createStreams=true} says so.
 */
final class StoreOptions {
  /** Settings the command line refuses, with why. */
  private static final Map<String, Map<String, String>> REFUSED = Map.of("postgres", Map.of("migrate",
      "only 'dlq migrate' creates or upgrades dlq's tables; no other command runs DDL"));
  /** The command line's defaults where they differ from a library user's. */
  private static final Map<String, Map<String, String>> DEFAULTS = Map.of("nats", Map.of("createStreams", "false"));

  @Option(names = "--store", paramLabel = "NAME", description = "postgres (default), nats or memory; or DLQ_STORE")
  String store;

  @Option(names = "--url", paramLabel = "URL",
      description = "postgres: a JDBC URL; nats: the servers, nats://host:4222; or DLQ_STORE_URL")
  String url;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "a store setting, repeatable: postgres: schema, user, password; nats: subjectPrefix, dlqStream...")
  List<String> settings;

  DeadLetterStore open(Map<String, String> env) {
    String name = store != null ? store : env.getOrDefault("DLQ_STORE", "postgres");
    Set<String> keys = settingKeys(name);
    Map<String, Object> values = new LinkedHashMap<>(DEFAULTS.getOrDefault(name, Map.of()));
    String u = url != null ? url : env.get("DLQ_STORE_URL");
    if (u != null && !u.isBlank()) {
      values.put(urlKey(name, keys), u);
    }
    for (String kv : settings == null ? List.<String>of() : settings) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set takes key=value but was '" + Text.clean(kv, 80) + "'");
      }
      String key = kv.substring(0, eq);
      check(name, keys, key);
      values.put(key, kv.substring(eq + 1));
    }
    try {
      return Dlq.store(name, values);
    } catch (dev.dlq.DlqException e) {
      if (name.equals("nats") && String.valueOf(e.getMessage()).contains("stream not found")) {
        throw new dev.dlq.StoreUnavailableException("nats", "there is no dead-letter stream for subjectPrefix '"
            + values.get("subjectPrefix") + "' (" + Main.oneLine(e.getMessage()) + "); check --set subjectPrefix, or"
            + " --set createStreams=true to create it", e);
      }
      throw e;
    }
  }

  private static void check(String name, Set<String> keys, String key) {
    String refused = REFUSED.getOrDefault(name, Map.of()).get(key);
    if (refused != null) {
      throw new IllegalArgumentException("--set " + key + ": " + refused);
    }
    if (!keys.isEmpty() && !keys.contains(key)) {
      Set<String> valid = new TreeSet<>(keys);
      valid.removeAll(REFUSED.getOrDefault(name, Map.of()).keySet());
      throw new IllegalArgumentException("unknown setting '" + Text.clean(key, 64) + "' for store '" + name
          + "'; its settings are: " + String.join(", ", valid));
    }
  }

  /** Where {@code --url} goes: "url" (postgres), "servers" (nats). */
  private static String urlKey(String name, Set<String> keys) {
    if (keys.isEmpty() || keys.contains("url")) {
      return "url";
    }
    if (keys.contains("servers")) {
      return "servers";
    }
    throw new IllegalArgumentException("store '" + name + "' takes no --url");
  }

  /** The keys store {@code name} reads, or a usage error naming the stores this dlq has. */
  static Set<String> settingKeys(String name) {
    try {
      return Dlq.storeSettingKeys(name);
    } catch (ProviderNotFoundException e) {
      if (Dlq.storeProviders().contains(name)) {
        throw e; // several have that name: its message names them
      }
      throw new IllegalArgumentException("no store named '" + Text.clean(name, 64) + "'; this dlq has: "
          + String.join(", ", new TreeSet<>(Dlq.storeProviders())) + (name.equals("sqs") ? " (SQS: dlq sqs redrive)" : ""));
    }
  }
}
