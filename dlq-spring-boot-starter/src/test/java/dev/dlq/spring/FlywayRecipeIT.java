package dev.dlq.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.postgres.testing.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Flyway recipe of docs/spring-boot.md: the application's Flyway (its own V1) and dlq's Flyway
 * (dlq's V1..V3 in their own schema) run from one {@link FlywayMigrationStrategy}, before the
 * starter verifies the schema with {@code dlq.postgres.migrate=false}.
 */
class FlywayRecipeIT {

  /** An application whose Flyway also runs dlq's scripts. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class FlywayApp {
    @Bean
    FlywayMigrationStrategy appAndDlq(DataSource dataSource, @Value("${dlq.postgres.schema}") String dlqSchema) {
      return appFlyway -> {
        Flyway.configure().dataSource(dataSource).schemas(dlqSchema)
            .locations("classpath:dev/dlq/postgres-migration").load().migrate();
        appFlyway.migrate();
      };
    }
  }

  @Test
  void appAndDlqMigrationsRunThroughFlywayAndTheStarterFindsTheSchemaCurrent() {
    TestDatabase db = TestDatabase.get();
    String app = db.freshSchema("flyway_app");
    String dlq = db.freshSchema("flyway_dlq");
    Map<String, Object> p = new HashMap<>();
    p.put("spring.datasource.url", db.jdbcUrl());
    p.put("spring.datasource.username", db.user());
    p.put("spring.datasource.password", db.password() == null ? "" : db.password());
    p.put("spring.flyway.schemas", app);
    p.put("spring.flyway.locations", "classpath:dev/dlq/spring/app-migration");
    p.put("dlq.postgres.schema", dlq);
    p.put("dlq.postgres.migrate", "false");
    p.put("logging.level.root", "WARN");
    try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(FlywayApp.class)
        .web(WebApplicationType.NONE).properties(p).run()) {
      JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
      assertThat(jdbc.queryForObject("select count(*) from " + app + ".orders", Integer.class)).isZero();
      assertThat(jdbc.queryForList("select version from " + app + ".flyway_schema_history where success",
          String.class)).containsExactly("1");
      assertThat(jdbc.queryForList("select version from " + dlq + ".flyway_schema_history where success order by "
          + "installed_rank", String.class)).as("every dlq script, in order")
          .containsExactlyElementsOf(dev.dlq.postgres.PostgresSchema.scripts().stream()
              .map(f -> f.substring(1, f.indexOf("__"))).toList());
      String id = ctx.getBean(DlqOutbox.class).enqueue("orders", "order.created", "o-1");
      assertThat(jdbc.queryForObject("select count(*) from " + dlq + ".tasks where id = ?", Integer.class, id))
          .isEqualTo(1);
    }
  }
}
