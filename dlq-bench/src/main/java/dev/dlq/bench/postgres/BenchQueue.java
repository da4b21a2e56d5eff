package dev.dlq.bench.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.dlq.bench.drain.Postgres;
import dev.dlq.postgres.NewTask;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.PostgresSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL queue in a schema of its own for one JMH trial, with ready tasks topped up between
 * invocations so that a claim always finds work. Not thread-safe: one benchmark thread.
 */
final class BenchQueue implements AutoCloseable {
  private static final int REFILL = 20_000;

  final Postgres pg;
  final HikariDataSource ds;
  final PostgresQueue queue;
  final String schema;
  private final Map<String, String> headers;
  private long ready;
  private long nextId;

  /**
   * @param claimBatch the queue's claim batch: a poll claims at least this many and keeps the
   *     surplus for the next polls, so set it to the batch measured
   */
  BenchQueue(String schema, int headerCount, int claimBatch) throws Exception {
    this.schema = schema;
    this.pg = Postgres.open(null);
    this.ds = pg.pool("jmh-" + schema, 6);
    Postgres.exec(ds, "drop schema if exists " + schema + " cascade");
    PostgresSchema.migrate(ds, schema);
    // a budget no benchmark reaches: rescheduling the same tasks must never make the queue give up on them
    this.queue = PostgresQueue.builder(ds, "jmh").schema(schema).listen(false)
        .claimBatch(claimBatch).build();
    Map<String, String> h = new java.util.TreeMap<>();
    for (int i = 0; i < headerCount; i++) {
      h.put(i == 0 ? "traceparent" : "h" + i, i == 0 ? "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" : "v" + i);
    }
    this.headers = Map.copyOf(h);
  }

  /** Makes sure at least {@code n} tasks are ready (counting what this trial claimed and did not put back). */
  void ensureReady(int n) {
    if (ready >= n) {
      return;
    }
    List<NewTask> chunk = new ArrayList<>(1000);
    for (int i = 0; i < REFILL; i++) {
      chunk.add(NewTask.of("jmh", ("{\"n\":" + nextId + "}").getBytes(StandardCharsets.UTF_8), headers)
          .withId("t" + nextId++));
      if (chunk.size() == 1000) {
        queue.enqueueBatch(chunk);
        chunk.clear();
      }
    }
    ready += REFILL;
  }

  /** {@code n} tasks left the ready set for good (completed, dead, or left claimed). */
  void took(int n) {
    ready -= n;
  }

  /** Empties the tables and vacuums them, so that every iteration starts from the same state. */
  void clean() throws Exception {
    Postgres.exec(ds, "delete from " + schema + ".tasks", "delete from " + schema + ".dead_letters",
        "vacuum analyze " + schema + ".tasks", "vacuum analyze " + schema + ".dead_letters");
    ready = 0;
  }

  @Override
  public void close() throws Exception {
    ds.close();
    pg.close();
  }
}
