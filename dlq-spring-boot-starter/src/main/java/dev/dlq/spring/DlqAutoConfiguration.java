package dev.dlq.spring;

import dev.dlq.micrometer.MicrometerDlqMetrics;
import dev.dlq.postgres.PostgresQueue;
import io.micrometer.core.instrument.MeterRegistry;
import dev.dlq.spi.DlqObserver;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * dlq on Spring Boot: given the application's single {@link DataSource}, the {@link DlqQueues}
 * (schema verified, or migrated with {@code dlq.postgres.migrate=true}, after Flyway and Liquibase
 * have run), the {@link DlqOutbox}, the {@link DlqWorkers} running the {@link DlqProcessor} beans,
 * Micrometer metrics when there is a {@code MeterRegistry}, and the {@link DlqHealthIndicator} when
 * actuator is on the class path. Each bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
    "org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(PostgresQueue.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(DlqProperties.class)
public class DlqAutoConfiguration {

  /** Made by Spring Boot's auto-configuration. */
  public DlqAutoConfiguration() {}

  /**
   * The queues over the application's data source, once its database initialisers have run.
   *
   * @param dataSource the application's data source
   * @param properties the {@code dlq.*} settings
   * @param observers the {@link DlqObserver} beans (metrics, tracing, the application's own)
   * @return the queues
   */
  @Bean
  @ConditionalOnMissingBean
  @DependsOnDatabaseInitialization
  public DlqQueues dlqQueues(DataSource dataSource, DlqProperties properties, ObjectProvider<DlqObserver> observers) {
    return new DlqQueues(dataSource, properties, observers.orderedStream().toList());
  }

  /**
   * The outbox that joins the current transaction.
   *
   * @param queues the queues
   * @return the outbox
   */
  @Bean
  @ConditionalOnMissingBean
  public DlqOutbox dlqOutbox(DlqQueues queues) {
    return new DlqOutbox(queues);
  }

  /**
   * The workers, started and stopped with the context.
   *
   * @param queues the queues
   * @param beans where the processors and observers are
   * @return the workers
   */
  @Bean
  @ConditionalOnMissingBean
  public DlqWorkers dlqWorkers(DlqQueues queues, ListableBeanFactory beans) {
    return new DlqWorkers(queues, beans);
  }

  /** Micrometer metrics, when the application has a meter registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class Metrics {
    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnMissingBean
    MicrometerDlqMetrics dlqMicrometerMetrics(MeterRegistry registry) {
      return MicrometerDlqMetrics.of(registry);
    }
  }

  /** The health indicator, when actuator is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "dlqHealthIndicator")
    DlqHealthIndicator dlqHealthIndicator(DlqWorkers workers, DlqProperties properties) {
      return new DlqHealthIndicator(workers, properties.getHealth().getMaxOldestReady());
    }
  }
}
