package dev.dlq.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterQuery;
import dev.dlq.DeadLetterReason;
import dev.dlq.ReplayRequest;
import dev.dlq.ReplayResult;
import dev.dlq.postgres.SchemaMissingException;
import dev.dlq.StoredDeadLetter;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** The starter in a real Spring Boot application context over real PostgreSQL (its own schema). */
class DlqSpringBootIT {

  private static ConfigurableApplicationContext run(String schema, boolean migrate) {
    TestDatabase db = TestDatabase.get();
    Map<String, Object> p = new HashMap<>();
    p.put("spring.datasource.url", db.jdbcUrl());
    p.put("spring.datasource.username", db.user());
    p.put("spring.datasource.password", db.password() == null ? "" : db.password());
    p.put("spring.datasource.hikari.maximum-pool-size", "12");
    p.put("dlq.postgres.schema", schema);
    p.put("dlq.postgres.migrate", Boolean.toString(migrate));
    p.put("dlq.queues.orders.concurrency", "2");
    p.put("dlq.queues.orders.retry.preset", "fixed");
    p.put("dlq.queues.orders.retry.backoff", "50ms");
    p.put("dlq.queues.orders.retry.max-attempts", "3");
    p.put("dlq.queues.orders.worker-id", "orders-it");
    p.put("dlq.queues.payments.concurrency", "1");
    p.put("dlq.queues.payments.retry.preset", "none");
    p.put("sample.schema", schema);
    p.put("spring.flyway.enabled", "false"); // FlywayRecipeIT has Flyway on the class path
    p.put("logging.level.root", "WARN");
    p.put("logging.level.dev.dlq", "INFO");
    return new SpringApplicationBuilder(SampleApp.class).web(WebApplicationType.NONE).properties(p).run();
  }

  @Test
  void outboxInsideTransactionsProcessingDeadLettersReplayMetricsAndHealth() {
    TestDatabase db = TestDatabase.get();
    String schema = db.freshSchema("spring");
    ConfigurableApplicationContext ctx = run(schema, true);
    try {
      JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
      jdbc.execute("create table " + schema + ".orders (id text primary key, status text not null)");
      SampleApp.OrderService orders = ctx.getBean(SampleApp.OrderService.class);
      DlqOutbox outbox = ctx.getBean(DlqOutbox.class);
      PostgresDeadLetterStore store = ctx.getBean(DlqQueues.class).deadLetterStore();

      // the outbox inside @Transactional: committed orders get their task, a rolled-back one does not
      assertThat(orders.place("o-1", false)).isEqualTo("task-o-1");
      orders.place("poison-1", false);
      assertThatThrownBy(() -> orders.place("o-rolled-back", true)).hasMessageContaining("card declined");
      outbox.enqueue("orders", "order.shipped", "o-1"); // outside a transaction; no processor for the type

      await("order o-1 processed", () -> status(jdbc, schema, "o-1").equals(Optional.of("processed")));
      await("two dead letters", () -> store.count(DeadLetterFilter.all()) == 2);
      Map<DeadLetterReason, DeadLetter> dead = new HashMap<>();
      for (StoredDeadLetter s : store.find(DeadLetterQuery.of(DeadLetterFilter.all(), 10)).items()) {
        dead.put(s.deadLetter().reason(), s.deadLetter());
      }
      DeadLetter poison = dead.get(DeadLetterReason.EXHAUSTED);
      assertThat(poison.message().id()).isEqualTo("task-poison-1");
      assertThat(poison.attempts()).isEqualTo(3);
      assertThat(poison.errorMessage()).isEqualTo("payment API down for poison-1");
      assertThat(poison.workerId()).isEqualTo("orders-it");
      assertThat(dead.get(DeadLetterReason.INVALID).message().type()).isEqualTo("order.shipped");
      assertThat(dead.get(DeadLetterReason.INVALID).errorMessage()).contains("no processor for type order.shipped");

      // the rolled-back order and its task never existed
      assertThat(status(jdbc, schema, "o-rolled-back")).isEmpty();
      assertThat(jdbc.queryForObject("select count(*) from " + schema + ".tasks where id = 'task-o-rolled-back'",
          Integer.class)).isZero();
      assertThat(SampleApp.MDC_SEEN).noneMatch(m -> "task-o-rolled-back".equals(m.get("dlq.message_id")));

      // the processor logged with the message in its MDC: three attempts of the poison order
      assertThat(SampleApp.MDC_SEEN).anySatisfy(m -> assertThat(m).containsEntry("dlq.message_id", "task-o-1")
          .containsEntry("dlq.type", "order.created").containsEntry("dlq.attempt", "1")
          .containsEntry("dlq.source", "postgres:orders"));
      assertThat(SampleApp.MDC_SEEN).filteredOn(m -> "task-poison-1".equals(m.get("dlq.message_id")))
          .extracting(m -> m.get("dlq.attempt")).containsExactly("1", "2", "3");

      // the payment API is mended: replay the dead letter and the order goes through
      SampleApp.PAYMENTS_FIXED.set(true);
      ReplayResult replay = store.replay(ReplayRequest.ofIds(List.of(poison.id()), "it"));
      assertThat(replay.replayed()).isEqualTo(1);
      await("order poison-1 processed after the replay",
          () -> status(jdbc, schema, "poison-1").equals(Optional.of("processed")));

      // Micrometer: dlq.* meters on the application's registry
      MeterRegistry meters = ctx.getBean(MeterRegistry.class);
      await("success counted", () -> count(meters, "dlq.messages", "outcome", "success") == 2);
      assertThat(count(meters, "dlq.messages", "outcome", "retry")).isEqualTo(2);
      assertThat(count(meters, "dlq.dead.lettered", "reason", "EXHAUSTED")).isEqualTo(1);
      assertThat(count(meters, "dlq.dead.lettered", "reason", "INVALID")).isEqualTo(1);
      assertThat(meters.get("dlq.replays").counter().count()).isEqualTo(1);
      assertThat(meters.get("dlq.processing").tag("type", "order.created").timer().count()).isEqualTo(5);
      assertThat(meters.get("dlq.in.flight").gauge().value()).isZero();
      assertThat(meters.find("dlq.queue.oldest.ready.seconds").gauge()).isNotNull();

      // actuator health: component "dlq", breaker closed
      Health health = (Health) ctx.getBean(HealthEndpoint.class).healthForPath("dlq");
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      @SuppressWarnings("unchecked")
      Map<String, Object> q = (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("queues")).get("orders");
      assertThat(q).containsEntry("circuit", "CLOSED").containsEntry("worker", "orders-it").containsKey("inFlight");

      // an outage: every charge fails to connect, the breaker opens, the health goes DOWN
      for (int i = 0; i < 15; i++) {
        outbox.enqueue("payments", "charge", "c-" + i);
      }
      HealthEndpoint endpoint = ctx.getBean(HealthEndpoint.class);
      java.util.concurrent.atomic.AtomicReference<Health> down = new java.util.concurrent.atomic.AtomicReference<>();
      await("health DOWN", () -> {
        down.set((Health) endpoint.healthForPath("dlq"));
        return down.get().getStatus().equals(Status.DOWN);
      });
      @SuppressWarnings("unchecked")
      Map<String, Object> payments = (Map<String, Object>) ((Map<String, Object>) down.get().getDetails().get("queues"))
          .get("payments");
      assertThat(payments).containsEntry("circuit", "OPEN");
      assertThat((String) payments.get("problem")).startsWith("circuit breaker open");

      // shutdown with the context: the workers stop, and the health says so
      DlqWorkers workers = ctx.getBean(DlqWorkers.class);
      assertThat(workers.workers()).containsOnlyKeys("orders", "payments");
      workers.stop();
      assertThat(workers.isRunning()).isFalse();
      assertThat(ctx.getBean(DlqHealthIndicator.class).health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      workers.start();
      assertThat(workers.isRunning()).isTrue();
      ctx.close();
      assertThat(workers.isRunning()).isFalse();
      assertThat(workers.workers()).isEmpty();
    } finally {
      ctx.close();
    }
  }

  @Test
  void withoutMigrateAnUnmigratedSchemaFailsTheStartupAndNamesTheFix() {
    String schema = TestDatabase.get().freshSchema("spring_nomigrate");
    assertThatThrownBy(() -> run(schema, false)).hasRootCauseInstanceOf(SchemaMissingException.class)
        .rootCause().hasMessageContaining(schema);
  }

  private static Optional<String> status(JdbcTemplate jdbc, String schema, String id) {
    return jdbc.queryForList("select status from " + schema + ".orders where id = ?", String.class, id).stream().findFirst();
  }

  private static double count(MeterRegistry meters, String name, String tag, String value) {
    return meters.find(name).tag(tag, value).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
