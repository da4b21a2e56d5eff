package dev.dlq.spi;

import dev.dlq.ReplayJob;
import dev.dlq.ReplayPlan;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;

/**
 * A {@link ReplayJob} as one JSON object, for stores that keep jobs as documents (a jsonb column, a
 * KV entry). The version is kept outside (a column, a revision). Stateless and thread-safe.
 */
public final class ReplayJobJson {
  // the static Json.create* methods look the provider up with ServiceLoader on every call
  private static final JsonProvider JSON = JsonProvider.provider();

  private ReplayJobJson() {}

  /**
   * The job as JSON, without its version.
   *
   * @param j the job
   * @return one JSON object
   */
  public static String write(ReplayJob j) {
    ReplayPlan.Settings s = j.settings();
    return JSON.createObjectBuilder()
        .add("id", j.id()).add("operator", j.operator()).add("target", j.target()).add("state", j.state().name())
        .add("total", j.total()).add("position", j.position()).add("sent", j.sent()).add("skipped", j.skipped())
        .add("diedAgain", j.diedAgain()).add("rate", j.rate()).add("reason", j.reason())
        .add("createdAt", j.createdAt().toString()).add("updatedAt", j.updatedAt().toString())
        .add("settings", JSON.createObjectBuilder().add("maxRate", s.maxRate()).add("canary", s.canary())
            .add("canaryWait", s.canaryWait().toString()).add("stepDuration", s.stepDuration().toString())
            .add("deathThreshold", s.deathThreshold()).add("minDeaths", s.minDeaths()).add("maxIds", s.maxIds()))
        .build().toString();
  }

  /**
   * Reads what {@link #write} wrote.
   *
   * @param json what {@link #write} wrote
   * @param version the job's version, kept outside the JSON
   * @return the job
   * @throws IllegalArgumentException when {@code json} is not a job
   */
  public static ReplayJob read(String json, long version) {
    try (JsonReader r = JSON.createReader(new StringReader(json))) {
      JsonObject o = r.readObject();
      JsonObject s = o.getJsonObject("settings");
      ReplayPlan.Settings settings = new ReplayPlan.Settings(s.getJsonNumber("maxRate").doubleValue(),
          s.getInt("canary"), Duration.parse(s.getString("canaryWait")), Duration.parse(s.getString("stepDuration")),
          s.getJsonNumber("deathThreshold").doubleValue(), s.getInt("minDeaths"), s.getInt("maxIds"));
      return new ReplayJob(o.getString("id"), o.getString("operator"), o.getString("target"), settings,
          ReplayJob.State.valueOf(o.getString("state")), o.getInt("total"), o.getInt("position"), o.getInt("sent"),
          o.getInt("skipped"), o.getInt("diedAgain"), o.getJsonNumber("rate").doubleValue(), o.getString("reason"),
          Instant.parse(o.getString("createdAt")), Instant.parse(o.getString("updatedAt")), version);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a replay job: " + e.getMessage(), e);
    }
  }
}
