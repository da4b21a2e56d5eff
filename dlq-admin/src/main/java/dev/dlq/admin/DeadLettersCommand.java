package dev.dlq.admin;

import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStats;
import dev.dlq.Page;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.DeadLetterStore;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code dlq dead-letters list|show|stats|replay|replay-batch|resolve|discard|purge|export|audit}. */
final class DeadLettersCommand {
  static final Set<String> VALUED = union(Filters.KEYS, StoreOptions.OPTIONS,
      Set.of("limit", "cursor", "operator", "note", "rate", "older-than", "format", "redact-header", "redact-field"));
  static final Set<String> SWITCHES = Set.of("json", "dry-run", "yes");

  private final DeadLetterStore store;
  private final PrintStream out;
  private final Views views;
  private final String operator;

  DeadLettersCommand(DeadLetterStore store, Args a, PrintStream out, Map<String, String> env) {
    this.store = store;
    this.out = out;
    this.views = new Views(redaction(a));
    this.operator = Text.name(a.get("operator", env.getOrDefault("USER", "cli")), "cli");
  }

  static DeadLetterFormat redaction(Args a) {
    DeadLetterFormat f = DeadLetterFormat.defaults();
    if (a.options.containsKey("redact-header")) {
      f = f.withRedactedHeaders(Set.of(a.options.get("redact-header").split(",")));
    }
    if (a.options.containsKey("redact-field")) {
      f = f.withRedactedPayloadFields(Set.of(a.options.get("redact-field").split(",")));
    }
    return f;
  }

  static String usage() {
    return String.join("\n",
        "usage: dlq dead-letters <action> [options]   (store: --store postgres|nats|sqs|memory, --url URL, --set k=v)",
        "  list [filters] [--limit N] [--cursor C] [--json]",
        "  show ID",
        "  stats [filters]",
        "  replay ID... [--dry-run] [--rate N]",
        "  replay-batch [filters] [--dry-run] [--rate N] --yes",
        "  resolve ID... [--note TEXT]",
        "  discard ID... [--note TEXT]",
        "  purge --older-than 30d --yes",
        "  export [filters] [--format json|csv]",
        "  audit [--limit N]",
        "filters: --type T --errorClass C --errorType X --status S --reason R --source Q --fingerprint F",
        "         --since 2026-01-01T00:00:00Z|2h --until ...",
        "common: --operator NAME (default $USER) --redact-header a,b --redact-field x,y");
  }

  int run(String action, Args a) {
    Map<String, String> filterParams = new HashMap<>();
    a.options.forEach((k, v) -> {
      if (Filters.KEYS.contains(k)) {
        filterParams.put(k, v);
      }
    });
    DeadLetterFilter filter = Filters.parse(filterParams);
    List<String> ids = a.positional;
    switch (action) {
      case "list": {
        int limit = Filters.intIn("limit", a.get("limit", "20"), 1, DeadLetterQuery.MAX_LIMIT);
        DeadLetterQuery q = DeadLetterQuery.of(filter, limit);
        if (a.options.containsKey("cursor")) {
          q = q.after(a.options.get("cursor"));
        }
        Page<StoredDeadLetter> page = store.find(q);
        if (a.has("json")) {
          jakarta.json.JsonArrayBuilder arr = jakarta.json.Json.createArrayBuilder();
          page.items().forEach(s -> arr.add(views.summary(s)));
          jakarta.json.JsonObjectBuilder o = jakarta.json.Json.createObjectBuilder().add("items", arr);
          page.nextCursor().ifPresent(c -> o.add("nextCursor", c));
          out.println(o.build());
        } else {
          out.printf("%-36s  %-20s  %-9s  %-13s  %-12s  %-24s  %s%n", "ID", "TYPE", "STATUS", "REASON", "ERROR CLASS",
              "DEAD AT", "ERROR");
          for (StoredDeadLetter raw : page.items()) {
            StoredDeadLetter s = views.redact(raw);
            out.printf("%-36s  %-20s  %-9s  %-13s  %-12s  %-24s  %s%n", s.id(), s.deadLetter().message().type(),
                s.status(), s.deadLetter().reason(), s.deadLetter().errorClass(), s.deadLetter().deadAt(),
                DeadLetterFormat.cut(s.deadLetter().errorType() + ": " + s.deadLetter().errorMessage(), 80));
          }
          page.nextCursor().ifPresent(c -> out.println("more: --cursor " + c));
        }
        return 0;
      }
      case "show": {
        requireIds(ids, 1, "show");
        Optional<StoredDeadLetter> s = store.get(ids.get(0));
        if (s.isEmpty()) {
          throw new IllegalArgumentException("no dead letter with id '" + ids.get(0) + "'");
        }
        out.println(views.full(s.get()));
        return 0;
      }
      case "stats": {
        DeadLetterStats st = store.stats(filter);
        out.println(Views.stats(st).build());
        return 0;
      }
      case "replay": {
        requireIds(ids, -1, "replay");
        ReplayRequest r = ReplayRequest.ofIds(ids, operator);
        return replay(a, r);
      }
      case "replay-batch": {
        ReplayRequest r = ReplayRequest.ofFilter(filter, operator);
        if (!a.has("dry-run") && !a.has("yes")) {
          ReplayResult dry = store.replay(r.asDryRun());
          out.println("would replay " + (dry.matched() - dry.skipped().size()) + " dead letters; add --yes to do it");
          return 0;
        }
        return replay(a, r);
      }
      case "resolve": {
        requireIds(ids, -1, "resolve");
        out.println("resolved " + store.resolve(ids, operator, Text.clean(a.get("note", ""), 1000)));
        return 0;
      }
      case "discard": {
        requireIds(ids, -1, "discard");
        out.println("discarded " + store.discard(ids, operator, Text.clean(a.get("note", ""), 1000)));
        return 0;
      }
      case "purge": {
        if (!a.options.containsKey("older-than")) {
          throw new IllegalArgumentException("purge needs --older-than, such as --older-than 30d");
        }
        Instant cutoff = Instant.now().minus(Filters.age("older-than", a.options.get("older-than")));
        if (!a.has("yes")) {
          out.println("would delete resolved, replayed and discarded dead letters that died before " + cutoff
              + "; add --yes to do it");
          return 0;
        }
        out.println("purged " + store.purge(cutoff, operator));
        return 0;
      }
      case "export": {
        String format = a.get("format", "json");
        if (format.equals("csv")) {
          out.println(Views.CSV_HEADER);
          store.export(filter, s -> out.println(views.csv(s)));
        } else if (format.equals("json")) {
          store.export(filter, s -> out.println(views.full(s)));
        } else {
          throw new IllegalArgumentException("format must be json or csv but was '" + format + "'");
        }
        return 0;
      }
      case "audit": {
        int limit = Filters.intIn("limit", a.get("limit", "50"), 1, 10_000);
        // cleaned again on the way out: an entry written by an older version may hold a newline
        store.audit(limit).forEach(e -> out.printf("%s  %-10s  %-8s  %5d  %s  %s%n", e.at(), Text.clean(e.operator(), 64),
            Text.clean(e.action(), 32), e.count(), Text.clean(e.target(), 2000), Text.clean(e.detail(), 2000)));
        return 0;
      }
      default:
        throw new IllegalArgumentException("unknown action '" + action + "'\n" + usage());
    }
  }

  private int replay(Args a, ReplayRequest r) {
    if (a.options.containsKey("rate")) {
      r = r.withRate(Filters.rate(a.options.get("rate")));
    }
    if (a.has("dry-run")) {
      r = r.asDryRun();
    }
    ReplayResult res = store.replay(r);
    out.printf("%s %d of %d matched (replay %s)%s%n", res.dryRun() ? "would replay" : "replayed",
        res.dryRun() ? res.matched() - res.skipped().size() : res.replayed(), res.matched(), res.replayId(),
        res.skipped().isEmpty() ? "" : "; skipped (unknown or not pending): " + res.skipped());
    return 0;
  }

  private static void requireIds(List<String> ids, int exactly, String action) {
    if (ids.isEmpty() || (exactly > 0 && ids.size() != exactly)) {
      throw new IllegalArgumentException(action + " needs " + (exactly == 1 ? "one dead-letter id" : "dead-letter ids"));
    }
  }

  @SafeVarargs
  static Set<String> union(Set<String>... sets) {
    Set<String> all = new HashSet<>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return Set.copyOf(all);
  }
}
