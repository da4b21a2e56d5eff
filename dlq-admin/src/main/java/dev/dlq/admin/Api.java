package dev.dlq.admin;

import com.sun.net.httpserver.HttpExchange;
import dev.dlq.DeadLetterQuery;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.Page;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.DeadLetterStore;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/** The {@code /api} endpoints over one store; the caller is already authenticated and checked. */
final class Api {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Api.class);
  static final Duration MAX_RATE_WAIT = Duration.ofSeconds(30);
  /** The longest a bulk replay may send for; with the wait, below the JDK server's maxRspTime. */
  static final Duration MAX_BULK_TIME = Duration.ofSeconds(60);
  private static final Set<String> LIST_PARAMS = with(Filters.KEYS, "limit", "cursor");
  private static final Set<String> GROUP_PARAMS = with(Filters.KEYS, "limit");
  private static final Set<String> EXPORT_PARAMS = with(Filters.KEYS, "format");
  /** The most dead letters one export request streams; more is a 400 that says how to narrow it. */
  static final int MAX_EXPORT = 100_000;

  private final DeadLetterStore store;
  private final Views views;
  private final DlqMetrics metrics;
  private final ReplayLimiter limiter;
  private final ExecutorService longActions;
  private final int maxBulk;
  private final ReplaysApi replays;
  private final dev.dlq.ReplayRunner runner;

  Api(DeadLetterStore store, Views views, DlqMetrics metrics, ReplayLimiter limiter, ExecutorService longActions,
      int maxBulk, dev.dlq.ReplayRunner runner) {
    this.replays = new ReplaysApi(runner, limiter.rate(), maxBulk);
    this.runner = runner;
    this.store = store;
    this.views = views;
    this.metrics = metrics;
    this.limiter = limiter;
    this.longActions = longActions;
    this.maxBulk = maxBulk;
  }

  /** @param seg the decoded path segments after {@code /api} */
  void handle(HttpExchange ex, Caller caller, String method, List<String> seg) throws Exception {
    if (seg.size() == 1 && seg.get(0).equals("audit")) {
      Router.requireMethod(method, "GET");
      int limit = Filters.intIn("limit", Http.query(ex, Set.of("limit")).getOrDefault("limit", "100"), 1, 10_000);
      JsonArrayBuilder arr = Json.createArrayBuilder();
      store.audit(limit).forEach(e -> arr.add(Json.createObjectBuilder().add("at", e.at().toString())
          .add("operator", e.operator()).add("action", e.action()).add("target", e.target())
          .add("count", e.count()).add("detail", e.detail())));
      Http.json(ex, 200, Json.createObjectBuilder().add("items", arr).build().toString());
    } else if (seg.size() == 1 && seg.get(0).equals("whoami")) {
      Router.requireMethod(method, "GET");
      Http.json(ex, 200, Json.createObjectBuilder().add("name", caller.name()).add("role", caller.role().label())
          .add("maxBulk", maxBulk).add("replayRate", limiter.rate()).build().toString());
    } else if (!seg.isEmpty() && seg.get(0).equals("replays")) {
      replays.handle(ex, caller, method, seg.subList(1, seg.size()));
    } else if (!seg.isEmpty() && seg.get(0).equals("dead-letters")) {
      deadLetters(ex, caller, method, seg.subList(1, seg.size()));
    } else {
      throw HttpError.notFound("no such endpoint: " + method + " /api/" + String.join("/", seg));
    }
  }

  private void deadLetters(HttpExchange ex, Caller caller, String method, List<String> rest) throws Exception {
    if (rest.isEmpty()) {
      Router.requireMethod(method, "GET");
      list(ex);
      return;
    }
    String first = rest.get(0);
    if (rest.size() == 1) {
      switch (first) {
        case "stats":
          Router.requireMethod(method, "GET");
          Http.json(ex, 200, Views.stats(store.stats(Filters.parse(Http.query(ex, Filters.KEYS)))).build().toString());
          return;
        case "groups":
          Router.requireMethod(method, "GET");
          groups(ex);
          return;
        case "export":
          Router.requireMethod(method, "GET");
          export(ex);
          return;
        case "replay":
        case "resolve":
        case "discard":
        case "purge":
          Router.requireMethod(method, "POST");
          bulk(ex, caller, first);
          return;
        default:
          Router.requireMethod(method, "GET");
          String id = Body.id(first);
          StoredDeadLetter s = store.get(id).orElseThrow(() -> HttpError.notFound("no dead letter with id '" + id + "'"));
          Http.json(ex, 200, views.full(s));
          return;
      }
    }
    if (rest.size() == 2 && rest.get(1).equals("edit-replay")) {
      Router.requireMethod(method, "POST");
      String id = Body.id(first);
      if (store.get(id).isEmpty()) {
        throw HttpError.notFound("no dead letter with id '" + id + "'");
      }
      EditReplays.handle(ex, caller, runner, id);
      return;
    }
    if (rest.size() == 2 && Set.of("replay", "resolve", "discard").contains(rest.get(1))) {
      Router.requireMethod(method, "POST");
      one(ex, caller, Body.id(first), rest.get(1));
      return;
    }
    if (rest.size() == 3 && first.equals("groups") && Set.of("resolve", "discard").contains(rest.get(2))) {
      Router.requireMethod(method, "POST");
      groupAction(ex, caller, Body.id(rest.get(1)), rest.get(2));
      return;
    }
    throw HttpError.notFound("no such endpoint: " + method + " /api/dead-letters/" + String.join("/", rest));
  }

  private void list(HttpExchange ex) throws IOException {
    Map<String, String> q = Http.query(ex, LIST_PARAMS);
    int limit = Filters.intIn("limit", q.getOrDefault("limit", "50"), 1, DeadLetterQuery.MAX_LIMIT);
    Map<String, String> filter = new HashMap<>(q);
    filter.remove("limit");
    filter.remove("cursor");
    DeadLetterQuery dq = DeadLetterQuery.of(Filters.parse(filter), limit);
    if (q.containsKey("cursor")) {
      dq = dq.after(q.get("cursor"));
    }
    Page<StoredDeadLetter> page = store.find(dq);
    JsonArrayBuilder arr = Json.createArrayBuilder();
    page.items().forEach(s -> arr.add(views.summary(s)));
    JsonObjectBuilder o = Json.createObjectBuilder().add("items", arr);
    page.nextCursor().ifPresent(c -> o.add("nextCursor", c));
    Http.json(ex, 200, o.build().toString());
  }

  /**
   * Every match, oldest first, streamed: JSON lines in the dead-letter format (as {@code dlq dead-letters
   * export}) or CSV with a header line; redaction applied. Refused past {@link #MAX_EXPORT} matches.
   */
  private void export(HttpExchange ex) throws IOException {
    Map<String, String> q = Http.query(ex, EXPORT_PARAMS);
    String format = q.getOrDefault("format", "json");
    if (!format.equals("json") && !format.equals("csv")) {
      throw HttpError.badRequest("format must be json or csv but was '" + Text.clean(format, 20) + "'");
    }
    q.remove("format");
    dev.dlq.DeadLetterFilter filter = Filters.parse(q);
    long n = store.count(filter);
    if (n > MAX_EXPORT) {
      throw HttpError.badRequest("the filter matches " + n + " dead letters; one export holds at most " + MAX_EXPORT
          + ": narrow it (since, until, type), or use dlq dead-letters export");
    }
    boolean csv = format.equals("csv");
    ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"dead-letters." + (csv ? "csv" : "jsonl") + "\"");
    ex.getResponseHeaders().set("Content-Type", csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(200, 0); // chunked: the rows are streamed as the store reads them
    try (java.io.Writer out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(ex.getResponseBody(),
        java.nio.charset.StandardCharsets.UTF_8))) {
      if (csv) {
        out.write(Views.CSV_HEADER + "\r\n");
      }
      long[] written = {0};
      try {
        store.export(filter, s -> {
          try {
            out.write((csv ? views.csv(s) : views.full(s)) + (csv ? "\r\n" : "\n"));
            written[0]++;
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // the client went away
          }
        });
      } catch (RuntimeException e) {
        if (e instanceof java.io.UncheckedIOException u) {
          throw u.getCause();
        }
        // the status line is sent: the failure is the last line, never a silently short export
        long ref = Router.REFS.incrementAndGet();
        log.warn("export failed after {} rows (ref {})", written[0], ref, e);
        out.write(Json.createObjectBuilder().add("error", "the export failed after " + written[0]
            + " rows; see the server log (ref " + ref + ")").build() + "\n");
      }
    }
  }

  /**
   * Failure groups: the biggest fingerprints with count, pending count, first and last seen, types
   * and a sample (the newest member).
   */
  private void groups(HttpExchange ex) throws IOException {
    Map<String, String> q = Http.query(ex, GROUP_PARAMS);
    int limit = Filters.intIn("limit", q.getOrDefault("limit", "20"), 1, 100);
    q.remove("limit");
    dev.dlq.DeadLetterFilter filter = Filters.parse(q);
    long total = store.count(filter);
    JsonArrayBuilder arr = Json.createArrayBuilder();
    for (dev.dlq.FailureGroup fg : store.groups(filter, limit)) {
      JsonObjectBuilder g = Views.group(fg);
      store.get(fg.sampleId()).ifPresent(s -> g.add("sample", views.summary(s)));
      arr.add(g);
    }
    Http.json(ex, 200, Json.createObjectBuilder().add("total", total).add("groups", arr).build().toString());
  }

  /** Resolves or discards every PENDING dead letter of one failure group. */
  private void groupAction(HttpExchange ex, Caller caller, String fingerprint, String action) throws Exception {
    caller.require(AdminServer.Role.OPERATOR, action);
    Body body = Body.parse(Http.body(ex), Set.of("note"));
    String note = Text.clean(body.string("note", ""), 1000);
    int n = longAction(() -> action.equals("resolve") ? store.resolveGroup(fingerprint, caller.name(), note)
        : store.discardGroup(fingerprint, caller.name(), note));
    count(ex, action + "d", n);
  }

  private void one(HttpExchange ex, Caller caller, String id, String action) throws Exception {
    caller.require(AdminServer.Role.OPERATOR, action);
    if (store.get(id).isEmpty()) {
      throw HttpError.notFound("no dead letter with id '" + id + "'");
    }
    if (action.equals("replay")) {
      Body body = Body.parse(Http.body(ex), Set.of("dryRun"));
      replay(ex, ReplayRequest.ofIds(List.of(id), caller.name()), body.bool("dryRun"), 1);
      return;
    }
    Body body = Body.parse(Http.body(ex), Set.of("note"));
    String note = Text.clean(body.string("note", ""), 1000);
    int n = action.equals("resolve") ? store.resolve(List.of(id), caller.name(), note)
        : store.discard(List.of(id), caller.name(), note);
    count(ex, action.equals("resolve") ? "resolved" : "discarded", n);
  }

  private void bulk(HttpExchange ex, Caller caller, String action) throws Exception {
    switch (action) {
      case "replay": {
        caller.require(AdminServer.Role.OPERATOR, "replay");
        Body body = Body.parse(Http.body(ex), Set.of("ids", "filter", "dryRun"));
        List<String> ids = body.ids("ids", maxBulk);
        if (ids.isEmpty() == !body.has("filter")) {
          throw HttpError.badRequest("replay needs either \"ids\" or a \"filter\" (use {\"filter\":{}} for all)");
        }
        ReplayRequest r = ids.isEmpty()
            ? ReplayRequest.ofFilter(Filters.parse(body.strings("filter", Filters.KEYS)), caller.name())
            : ReplayRequest.ofIds(ids, caller.name());
        replay(ex, r, body.bool("dryRun"), ids.isEmpty() ? -1 : ids.size());
        return;
      }
      case "resolve":
      case "discard": {
        caller.require(AdminServer.Role.OPERATOR, action);
        Body body = Body.parse(Http.body(ex), Set.of("ids", "note"));
        List<String> ids = body.ids("ids", maxBulk);
        if (ids.isEmpty()) {
          throw HttpError.badRequest("the body needs \"ids\": [\"...\"]");
        }
        String note = Text.clean(body.string("note", ""), 1000);
        count(ex, action + "d", action.equals("resolve") ? store.resolve(ids, caller.name(), note)
            : store.discard(ids, caller.name(), note));
        return;
      }
      default: {
        caller.require(AdminServer.Role.ADMIN, "purge");
        Body body = Body.parse(Http.body(ex), Set.of("olderThan"));
        if (!body.has("olderThan")) {
          throw HttpError.badRequest("purge needs \"olderThan\", such as \"30d\"");
        }
        Instant cutoff = Instant.now().minus(Filters.age("olderThan", body.string("olderThan", "")));
        count(ex, "purged", longAction(() -> store.purge(cutoff, caller.name())));
      }
    }
  }

  /**
   * @param expected how many it sends at most, or -1 when a filter decides (counted by a dry run
   *     first, refused past {@code maxBulk})
   */
  private void replay(HttpExchange ex, ReplayRequest r, boolean dryRun, int expected) throws Exception {
    ReplayResult res;
    if (dryRun) {
      res = store.replay(r.asDryRun());
    } else if (expected == 1) {
      limiter.acquire(1, MAX_RATE_WAIT);
      res = store.replay(r.withRate(limiter.rate()));
    } else {
      checkDuration(expected);
      res = longAction(() -> {
        int n = expected;
        if (n < 0) {
          ReplayResult dry = store.replay(r.asDryRun());
          n = dry.matched() - dry.skipped().size();
          if (n > maxBulk) {
            throw HttpError.badRequest("the filter matches " + n + " pending dead letters; one request replays at"
                + " most " + maxBulk + ": narrow the filter, or use dlq dead-letters replay-batch");
          }
          checkDuration(n);
        }
        limiter.acquire(n, MAX_RATE_WAIT);
        return store.replay(r.withRate(limiter.rate()));
      });
    }
    if (!res.dryRun()) {
      metrics.replayed("admin", res.replayed());
    }
    JsonArrayBuilder skipped = Json.createArrayBuilder();
    res.skipped().forEach(skipped::add);
    Http.json(ex, 200, Json.createObjectBuilder().add("replayId", res.replayId())
        .add("matched", res.matched()).add("replayed", res.replayed()).add("dryRun", res.dryRun())
        .add("wouldReplay", res.matched() - res.skipped().size()).add("skipped", skipped).build().toString());
  }

  /** Refuses a bulk replay that would keep a request open longer than {@link #MAX_BULK_TIME}. */
  private void checkDuration(int n) {
    if (limiter.rate() > 0 && n / limiter.rate() > MAX_BULK_TIME.toSeconds()) {
      throw HttpError.badRequest(n + " dead letters take " + (long) Math.ceil(n / limiter.rate()) + " s at the replay"
          + " rate of " + limiter.rate() + "/s, longer than one request may run (" + MAX_BULK_TIME.toSeconds()
          + " s): narrow the filter, or use dlq dead-letters replay-batch");
    }
  }

  /** Runs bulk work on the small pool for long actions, so that it cannot take every request thread. */
  private <T> T longAction(Callable<T> work) throws Exception {
    Future<T> f;
    try {
      f = longActions.submit(work);
    } catch (RejectedExecutionException e) {
      throw new HttpError(503, "too many bulk actions are running; try again shortly");
    }
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new HttpError(503, "the server is stopping");
    }
  }

  private static void count(HttpExchange ex, String what, long n) throws IOException {
    Http.json(ex, 200, Json.createObjectBuilder().add(what, n).build().toString());
  }

  private static Set<String> with(Set<String> base, String... more) {
    Set<String> s = new HashSet<>(base);
    s.addAll(List.of(more));
    return Set.copyOf(s);
  }
}
