package dev.dlq.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean implementing {@link dev.dlq.Processor} (its class, or its {@code @Bean} method) as the processor of messages of one
 * {@link #type()} on one {@link #queue()}. The starter runs one worker per queue that has
 * processors and dispatches by type; a message of a type no processor claims is dead-lettered as
 * INVALID. Two processors for the same queue and type fail the startup.
 *
 * <pre>{@code
 * @Component
 * @DlqProcessor(queue = "orders", type = "order.created")
 * class OrderCreated implements Processor {
 *   public Outcome process(Message m) { ...; return Outcome.success(); }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface DlqProcessor {
  /**
   * The queue whose messages it processes.
   *
   * @return the queue's name
   */
  String queue();

  /**
   * The message type it processes.
   *
   * @return the message type
   */
  String type();
}
