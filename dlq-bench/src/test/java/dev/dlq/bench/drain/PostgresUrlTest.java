package dev.dlq.bench.drain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {

  @Test
  void pointsAUrlAtTheBenchDatabaseKeepingHostAndParameters() {
    assertThat(Postgres.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres", "dlq_bench"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/dlq_bench?user=postgres");
    assertThat(Postgres.withDatabase("jdbc:postgresql://db:6543/app", "dlq_bench"))
        .isEqualTo("jdbc:postgresql://db:6543/dlq_bench");
    assertThat(Postgres.withDatabase("jdbc:postgresql://db/", "dlq_bench")).isEqualTo("jdbc:postgresql://db/dlq_bench");
    assertThat(Postgres.withDatabase("jdbc:postgresql://db", "dlq_bench")).isEqualTo("jdbc:postgresql://db/dlq_bench");
  }

  @Test
  void givesGraphileWorkerTheSameDatabaseAsALibpqUrl() {
    assertThat(Graphile.libpqUrl("jdbc:postgresql://127.0.0.1:5432/dlq_bench?user=postgres"))
        .isEqualTo("postgres://postgres@127.0.0.1:5432/dlq_bench");
    assertThat(Graphile.libpqUrl("jdbc:postgresql://db:6543/dlq_bench?user=app&password=s3cret&sslmode=require"))
        .isEqualTo("postgres://app:s3cret@db:6543/dlq_bench?sslmode=require");
    assertThat(Graphile.libpqUrl("jdbc:postgresql://db/dlq_bench")).isEqualTo("postgres://db/dlq_bench");
  }
}
