package dev.dlq.spring;

import dev.dlq.Outcome;
import dev.dlq.Processor;
import dev.dlq.postgres.NewTask;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * A small application as a user would write it: orders are saved and their task enqueued in one
 * {@code @Transactional} method; a processor marks them processed, except "poison" orders while
 * the payment API is broken.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class SampleApp {
  /** What the processor's thread had in its MDC, one map per call. */
  static final List<Map<String, String>> MDC_SEEN = new CopyOnWriteArrayList<>();
  /** Until set, orders whose id starts with "poison" fail (a broken payment API). */
  static final AtomicBoolean PAYMENTS_FIXED = new AtomicBoolean();

  @Bean
  OrderService orderService(JdbcTemplate jdbc, DlqOutbox outbox, @Value("${sample.schema}") String schema) {
    return new OrderService(jdbc, outbox, schema);
  }

  @Bean
  @DlqProcessor(queue = "orders", type = "order.created")
  Processor orderCreated(JdbcTemplate jdbc, @Value("${sample.schema}") String schema) {
    return m -> {
      MDC_SEEN.add(MDC.getCopyOfContextMap());
      String id = m.payloadAsString();
      if (id.startsWith("poison") && !PAYMENTS_FIXED.get()) {
        throw new IOException("payment API down for " + id);
      }
      jdbc.update("update " + schema + ".orders set status = 'processed' where id = ?", id);
      return Outcome.success();
    };
  }

  @Bean
  @DlqProcessor(queue = "payments", type = "charge")
  Processor charge() {
    return m -> {
      throw new java.net.ConnectException("payment provider unreachable");
    };
  }

  /** Saves an order and enqueues its task in the same transaction. */
  public static class OrderService {
    private final JdbcTemplate jdbc;
    private final DlqOutbox outbox;
    private final String schema;

    OrderService(JdbcTemplate jdbc, DlqOutbox outbox, String schema) {
      this.jdbc = jdbc;
      this.outbox = outbox;
      this.schema = schema;
    }

    /** Saves order {@code id}, enqueues task {@code "task-" + id}, then fails if asked (rolling both back). */
    @Transactional
    public String place(String id, boolean failAfterEnqueue) {
      jdbc.update("insert into " + schema + ".orders (id, status) values (?, 'new')", id);
      String task = outbox.enqueue("orders",
          NewTask.of("order.created", id.getBytes(StandardCharsets.UTF_8)).withId("task-" + id));
      if (failAfterEnqueue) {
        throw new IllegalStateException("card declined: rolling back order " + id);
      }
      return task;
    }
  }
}
