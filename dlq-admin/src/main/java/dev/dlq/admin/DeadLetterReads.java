package dev.dlq.admin;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFormat;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterStats;
import dev.dlq.Message;
import dev.dlq.Page;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.DeadLetterStore;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The reads of {@code dlq dead-letters}: each prints as {@code --output table} (default), {@code json} or {@code csv}. */
final class DeadLetterReads {
  private DeadLetterReads() {}

  /** {@code --output}. */
  static final class OutputOption {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table (default), json or csv")
    Table.Output output;
  }

  @Command(name = "list", description = "Dead letters, newest first, a page at a time.")
  static final class List extends StoreAction {
    @Mixin FilterOptions filters;
    @Mixin OutputOption output;
    @Mixin RedactionOptions redaction;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "at most N (1 to 1000; default 20)")
    String limit;
    @Option(names = "--cursor", paramLabel = "C", description = "the page after the one that printed this cursor")
    String cursor;

    @Override
    int run(DeadLetterStore store) {
      DeadLetterQuery q = DeadLetterQuery.of(filters.filter(), Filters.intIn("--limit", limit, 1, DeadLetterQuery.MAX_LIMIT));
      if (cursor != null) {
        q = q.after(cursor);
      }
      Page<StoredDeadLetter> page = store.find(q);
      Views views = redaction.views();
      if (output.output == Table.Output.json) {
        JsonArrayBuilder arr = Json.createArrayBuilder();
        page.items().forEach(s -> arr.add(views.summary(s)));
        JsonObjectBuilder o = Json.createObjectBuilder().add("items", arr);
        page.nextCursor().ifPresent(c -> o.add("nextCursor", c));
        out().println(o.build());
        return Exit.OK;
      }
      Table t = output.output == Table.Output.csv
          ? new Table("id", "messageId", "type", "source", "status", "reason", "errorClass", "errorType", "errorMessage",
              "attempts", "deathCount", "replayCount", "fingerprint", "deadAt")
          : new Table("ID", "TYPE", "STATUS", "REASON", "ERROR CLASS", "DEAD AT", "ERROR");
      for (StoredDeadLetter raw : page.items()) {
        StoredDeadLetter s = views.redact(raw);
        DeadLetter dl = s.deadLetter();
        Message m = dl.message();
        if (output.output == Table.Output.csv) {
          t.row(s.id(), m.id(), m.type(), m.source(), s.status(), dl.reason(), dl.errorClass(), dl.errorType(),
              dl.errorMessage(), dl.attempts(), s.deathCount(), s.replayCount(), dl.fingerprint(), dl.deadAt());
        } else {
          t.row(s.id(), m.type(), s.status(), dl.reason(), dl.errorClass(), dl.deadAt(),
              DeadLetterFormat.cut(dl.errorType() + ": " + dl.errorMessage(), 80));
        }
      }
      t.print(out(), output.output);
      // csv is data only: the cursor goes to stderr
      page.nextCursor().ifPresent(c -> (output.output == Table.Output.csv ? err() : out()).println("more: --cursor " + c));
      return Exit.OK;
    }
  }

  @Command(name = "show", description = "One dead letter in full, its payload decoded (JSON, text, else base64).")
  static final class Show extends StoreAction {
    @Parameters(paramLabel = "ID", description = "the dead letter's id") String id;
    @Mixin OutputOption output;
    @Mixin RedactionOptions redaction;

    @Override
    int run(DeadLetterStore store) {
      StoredDeadLetter s = store.get(id).orElseThrow(() -> new Exit.NotFound("no dead letter with id '"
          + Text.clean(id, 100) + "'"));
      Views views = redaction.views();
      switch (output.output) {
        case json -> out().println(DetailView.json(views.redact(s)).build());
        case csv -> {
          out().println(Views.CSV_HEADER);
          out().println(views.csv(s));
        }
        default -> DetailView.print(views.redact(s), out());
      }
      return Exit.OK;
    }
  }

  @Command(name = "stats", description = "Counts by type, error class, error type, fingerprint, status and hour.")
  static final class Stats extends StoreAction {
    @Mixin FilterOptions filters;
    @Mixin OutputOption output;

    @Override
    int run(DeadLetterStore store) {
      DeadLetterStats st = store.stats(filters.filter());
      if (output.output == Table.Output.json) {
        out().println(Views.stats(st).build());
        return Exit.OK;
      }
      Map<String, Map<?, Long>> by = new java.util.LinkedHashMap<>();
      by.put("type", st.byType());
      by.put("errorClass", st.byErrorClass());
      by.put("errorType", st.byErrorType());
      by.put("fingerprint", st.byFingerprint());
      by.put("status", st.byStatus());
      by.put("hour", st.byHour());
      if (output.output == Table.Output.csv) {
        Table t = new Table("dimension", "key", "count").row("total", "", st.total());
        by.forEach((dim, counts) -> sorted(counts).forEach((k, n) -> t.row(dim, k, n)));
        t.print(out(), Table.Output.csv);
        return Exit.OK;
      }
      out().println("total: " + st.total());
      by.forEach((dim, counts) -> {
        if (!counts.isEmpty()) {
          out().println();
          Table t = new Table("BY " + dim.replaceAll("([A-Z])", " $1").toUpperCase(java.util.Locale.ROOT), "COUNT");
          sorted(counts).forEach(t::row);
          t.print(out(), Table.Output.table);
        }
      });
      return Exit.OK;
    }

    private static Map<String, Long> sorted(Map<?, Long> m) {
      Map<String, Long> s = new TreeMap<>();
      m.forEach((k, v) -> s.put(String.valueOf(k), v));
      return s;
    }
  }

  @Command(name = "export", description = "Every match, oldest first: JSON lines (dlq.dead-letter/1, the payload in base64) or CSV.")
  static final class Export extends StoreAction {
    @Mixin FilterOptions filters;
    @Mixin RedactionOptions redaction;
    @Option(names = {"-o", "--output", "--format"}, paramLabel = "FORMAT", defaultValue = "json",
        description = "json (default: one dead letter a line) or csv; --format is the same option")
    Table.Output output;

    @Override
    int run(DeadLetterStore store) {
      Views views = redaction.views();
      switch (output) {
        case csv -> {
          out().println(Views.CSV_HEADER);
          store.export(filters.filter(), s -> out().println(views.csv(s)));
        }
        case json -> store.export(filters.filter(), s -> out().println(views.full(s)));
        default -> throw new IllegalArgumentException("export writes --output json or csv, not table");
      }
      return Exit.OK;
    }
  }

  @Command(name = "audit", description = "The audit log, newest first: who did what to which dead letters.")
  static final class Audit extends StoreAction {
    @Mixin OutputOption output;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most N entries (default 50)")
    String limit;

    @Override
    int run(DeadLetterStore store) {
      java.util.List<AuditEntry> entries = store.audit(Filters.intIn("--limit", limit, 1, 10_000));
      if (output.output == Table.Output.json) {
        JsonArrayBuilder arr = Json.createArrayBuilder();
        // cleaned again on the way out: an entry written by an older version may hold a newline
        entries.forEach(e -> arr.add(Json.createObjectBuilder().add("at", e.at().toString())
            .add("operator", Text.clean(e.operator(), 64)).add("action", Text.clean(e.action(), 32))
            .add("count", e.count()).add("target", Text.clean(e.target(), 2000)).add("detail", Text.clean(e.detail(), 2000))));
        out().println(Json.createObjectBuilder().add("items", arr).build());
        return Exit.OK;
      }
      Table t = output.output == Table.Output.csv ? new Table("at", "operator", "action", "count", "target", "detail")
          : new Table("AT", "OPERATOR", "ACTION", "COUNT", "TARGET", "DETAIL");
      entries.forEach(e -> t.row(e.at(), Text.clean(e.operator(), 64), Text.clean(e.action(), 32), e.count(),
          DeadLetterFormat.cut(Text.clean(e.target(), 2000), output.output == Table.Output.csv ? 2000 : 80),
          DeadLetterFormat.cut(Text.clean(e.detail(), 2000), output.output == Table.Output.csv ? 2000 : 80)));
      t.print(out(), output.output);
      return Exit.OK;
    }
  }
}
