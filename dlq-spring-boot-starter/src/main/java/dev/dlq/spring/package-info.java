/**
 * dlq's Spring Boot starter, for application developers: {@link dev.dlq.spring.DlqAutoConfiguration}
 * makes PostgreSQL queues from the application's data source, the {@link dev.dlq.spring.DlqOutbox}
 * that joins the current transaction, one worker per queue of {@link dev.dlq.spring.DlqProcessor}
 * beans, Micrometer metrics and the actuator {@link dev.dlq.spring.DlqHealthIndicator}.
 */
package dev.dlq.spring;
