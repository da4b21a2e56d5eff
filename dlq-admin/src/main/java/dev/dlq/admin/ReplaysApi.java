package dev.dlq.admin;

import com.sun.net.httpserver.HttpExchange;
import dev.dlq.ReplayJob;
import dev.dlq.ReplayPlan;
import dev.dlq.ReplayRunner;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/replays}: replay jobs of the {@link ReplayRunner} (snapshot, canary, ramp, automatic
 * stop), run on the server's own threads and kept in the store. Reading needs a token of any role;
 * creating and controlling jobs needs OPERATOR.
 *
 * <pre>
 * POST /api/replays                 {"filter":{...}} | {"ids":[...]} | {"group":"fp"}, "dryRun", "maxRate",
 *                                   "canary", "canaryWait", "stepDuration", "stopWhenDiedAgain", "minDeaths"
 * GET  /api/replays?limit=          the latest jobs
 * GET  /api/replays/{id}?sample=    one job with the first ids of its snapshot
 * POST /api/replays/{id}/start|pause|resume|cancel
 * </pre>
 */
final class ReplaysApi {
  private static final Set<String> CREATE_KEYS = Set.of("ids", "filter", "group", "dryRun", "maxRate", "canary",
      "canaryWait", "stepDuration", "stopWhenDiedAgain", "minDeaths");

  private final ReplayRunner runner;
  private final double serverRate;
  private final int maxBulk;

  /** @param runner null when the store cannot run replay jobs */
  ReplaysApi(ReplayRunner runner, double serverRate, int maxBulk) {
    this.runner = runner;
    this.serverRate = serverRate;
    this.maxBulk = maxBulk;
  }

  void handle(HttpExchange ex, Caller caller, String method, List<String> rest) throws Exception {
    if (runner == null) {
      throw new HttpError(501, "this store cannot run replay jobs");
    }
    if (rest.isEmpty()) {
      if (method.equals("POST")) {
        create(ex, caller);
      } else {
        Router.requireMethod(method, "GET");
        int limit = Filters.intIn("limit", Http.query(ex, Set.of("limit")).getOrDefault("limit", "50"), 1, 1000);
        JsonArrayBuilder arr = Json.createArrayBuilder();
        runner.jobs(limit).forEach(j -> arr.add(view(j)));
        Http.json(ex, 200, Json.createObjectBuilder().add("items", arr).build().toString());
      }
      return;
    }
    String id = Body.id(rest.get(0));
    ReplayJob job = runner.job(id).orElseThrow(() -> HttpError.notFound("no replay job with id '" + id + "'"));
    if (rest.size() == 1) {
      Router.requireMethod(method, "GET");
      int sample = Filters.intIn("sample", Http.query(ex, Set.of("sample")).getOrDefault("sample", "10"), 1, 1000);
      Http.json(ex, 200, withSample(job, sample));
      return;
    }
    if (rest.size() != 2) {
      throw HttpError.notFound("no such endpoint: " + method + " /api/replays/" + String.join("/", rest));
    }
    Router.requireMethod(method, "POST");
    String action = rest.get(1);
    caller.require(AdminServer.Role.OPERATOR, action + " a replay");
    Body.parse(Http.body(ex), Set.of());
    try {
      Http.json(ex, 200, view(control(id, job, action, caller)).build().toString());
    } catch (IllegalStateException e) {
      throw new HttpError(409, e.getMessage());
    }
  }

  private ReplayJob control(String id, ReplayJob job, String action, Caller caller) {
    ReplayJob after;
    switch (action) {
      case "start":
        if (job.state() != ReplayJob.State.PLANNED) {
          throw new IllegalStateException( "replay job " + id + " is " + job.state() + ": only a PLANNED job starts");
        }
        runner.start(id);
        after = runner.job(id).orElse(job);
        break;
      case "pause":
        after = runner.pause(id, caller.name());
        break;
      case "resume":
        after = runner.resume(id, caller.name());
        runner.start(id);
        break;
      case "cancel":
        after = runner.cancel(id, caller.name());
        break;
      default:
        throw HttpError.notFound("no such endpoint: POST /api/replays/" + id + "/" + Text.clean(action, 40));
    }
    return after;
  }

  private void create(HttpExchange ex, Caller caller) throws Exception {
    caller.require(AdminServer.Role.OPERATOR, "replay");
    Body body = Body.parse(Http.body(ex), CREATE_KEYS);
    List<String> ids = body.ids("ids", maxBulk);
    int named = (ids.isEmpty() ? 0 : 1) + (body.has("filter") ? 1 : 0) + (body.has("group") ? 1 : 0);
    if (named != 1) {
      throw HttpError.badRequest("a replay needs exactly one of \"ids\", \"filter\" ({} for all) or \"group\"");
    }
    double max = serverRate > 0 ? serverRate : 100_000;
    ReplayPlan.Builder plan = ReplayPlan.builder(caller.name())
        .maxRate(body.number("maxRate", Math.min(ReplayPlan.Settings.DEFAULTS.maxRate(), max), 0.001, max))
        .canary((int) body.number("canary", ReplayPlan.Settings.DEFAULTS.canary(), 0, 1000))
        .canaryWait(duration(body, "canaryWait", ReplayPlan.Settings.DEFAULTS.canaryWait()))
        .stepDuration(duration(body, "stepDuration", ReplayPlan.Settings.DEFAULTS.stepDuration()))
        .stopWhenDiedAgain(body.number("stopWhenDiedAgain", ReplayPlan.Settings.DEFAULTS.deathThreshold(), 0, 1),
            (int) body.number("minDeaths", ReplayPlan.Settings.DEFAULTS.minDeaths(), 1, 1_000_000));
    if (!ids.isEmpty()) {
      plan.ids(ids);
    } else if (body.has("group")) {
      plan.group(Body.id(body.string("group", "")));
    } else {
      plan.filter(Filters.parse(body.strings("filter", Filters.KEYS)));
    }
    ReplayJob job = runner.prepare(plan.build());
    if (!body.bool("dryRun")) {
      runner.start(job.id());
    }
    Http.json(ex, 201, withSample(job, 10));
  }

  private static Duration duration(Body body, String name, Duration fallback) {
    return body.has(name) ? Filters.age(name, body.string(name, "")) : fallback;
  }

  private String withSample(ReplayJob job, int n) {
    JsonArrayBuilder sample = Json.createArrayBuilder();
    runner.ids(job.id(), 0, n).forEach(sample::add);
    return view(job).add("sample", sample).build().toString();
  }

  static JsonObjectBuilder view(ReplayJob j) {
    ReplayPlan.Settings s = j.settings();
    return Json.createObjectBuilder().add("id", j.id()).add("operator", j.operator()).add("target", j.target())
        .add("state", j.state().name()).add("total", j.total()).add("position", j.position()).add("sent", j.sent())
        .add("skipped", j.skipped()).add("pending", j.pending()).add("diedAgain", j.diedAgain()).add("rate", j.rate())
        .add("reason", j.reason()).add("createdAt", j.createdAt().toString()).add("updatedAt", j.updatedAt().toString())
        .add("settings", Json.createObjectBuilder().add("maxRate", s.maxRate()).add("canary", s.canary())
            .add("canaryWait", s.canaryWait().toSeconds() + "s").add("stepDuration", s.stepDuration().toSeconds() + "s")
            .add("stopWhenDiedAgain", s.deathThreshold()).add("minDeaths", s.minDeaths()));
  }
}
