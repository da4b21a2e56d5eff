package dev.dlq.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.postgres.PostgresQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;

/**
 * A worker process for {@link KillNineIT}: drains a PostgreSQL queue, records every processed task
 * in {@code processed}, dead-letters tasks whose payload is "poison", and runs until it is killed.
 *
 * <p>Arguments: jdbcUrl user password|- schema queue
 */
public final class CrashableWorker {
  private CrashableWorker() {}

  public static void main(String[] args) throws Exception {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(args[0]);
    cfg.setUsername(args[1]);
    if (!args[2].equals("-")) {
      cfg.setPassword(args[2]);
    }
    cfg.setMaximumPoolSize(12);
    String schema = args[3];
    String queue = args[4];
    HikariDataSource ds = new HikariDataSource(cfg);
    PostgresQueue q = PostgresQueue.builder(ds, queue).schema(schema).lease(Duration.ofSeconds(2))
        .reapInterval(Duration.ofMillis(500)).build();
    String insert = "INSERT INTO " + schema + ".processed (task_id, pid) VALUES (?, ?)";
    long pid = ProcessHandle.current().pid();
    Worker worker = Worker.builder(q.source(), m -> {
      if (m.payloadAsString().equals("poison")) {
        throw new IllegalArgumentException("poison task " + m.id());
      }
      try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(insert)) {
        ps.setString(1, m.id());
        ps.setLong(2, pid);
        ps.executeUpdate();
      }
      Thread.sleep(1);
      return Outcome.success();
    }).sink(q.deadLetterStore()).retryPolicy(RetryPolicy.fixed(Duration.ZERO, 3)).concurrency(4)
        .pollWait(Duration.ofMillis(200)).build();
    worker.start();
    System.out.println("started " + pid);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
