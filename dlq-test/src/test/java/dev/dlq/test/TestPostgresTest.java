package dev.dlq.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.test.TestPostgres.Kind;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The choice between Testcontainers and embedded PostgreSQL, with the Docker probe injected. */
class TestPostgresTest {
  private final AtomicInteger asked = new AtomicInteger();

  private BooleanSupplier docker(boolean answers) {
    return () -> {
      asked.incrementAndGet();
      return answers;
    };
  }

  @Test
  void autoTakesTestcontainersOnlyWhenDockerAnswers() {
    assertThat(TestPostgres.select("auto", docker(true))).isEqualTo(Kind.TESTCONTAINERS);
    assertThat(TestPostgres.select("AUTO ", docker(false))).isEqualTo(Kind.EMBEDDED);
    assertThat(asked).hasValue(2);
  }

  @Test
  void anExplicitKindDoesNotAskDocker() {
    assertThat(TestPostgres.select("testcontainers", docker(false))).isEqualTo(Kind.TESTCONTAINERS);
    assertThat(TestPostgres.select("Embedded", docker(true))).isEqualTo(Kind.EMBEDDED);
    assertThat(asked).hasValue(0);
  }

  @Test
  void anUnknownSettingNamesTheChoices() {
    assertThatThrownBy(() -> TestPostgres.select("docker", docker(true))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dlq.test.postgres must be auto, testcontainers or embedded but was docker");
  }
}
