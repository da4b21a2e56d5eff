package dev.dlq.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.ErrorClass;
import dev.dlq.Failure;
import dev.dlq.InvalidMessageException;
import dev.dlq.InvalidSettingException;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.RetryDecision;
import dev.dlq.RetryPolicy;
import dev.dlq.SourceRef;
import dev.dlq.postgres.SchemaMissingException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** The starter's pieces that need no database: retry settings, type dispatch, the failure report. */
class StarterUnitTest {

  private static DlqProperties.Retry retry(String preset) {
    DlqProperties.Retry r = new DlqProperties.Retry();
    r.setPreset(preset);
    return r;
  }

  private static Message message(String type, int attempt) {
    return Message.of("m-1", type, new byte[0], SourceRef.of("postgres", "orders"), attempt, Instant.EPOCH);
  }

  @Test
  void fixedRetrySettingsBecomeTheFixedPolicy() {
    DlqProperties.Retry r = retry("fixed");
    r.setMaxAttempts(2);
    r.setBackoff(Duration.ofSeconds(7));
    RetryPolicy p = RetryPolicies.of("orders", r);
    Failure first = new Failure(message("t", 1), ErrorClass.RECOVERABLE, Optional.empty(), Optional.empty());

    assertThat(p.decide(first)).isEqualTo(new RetryDecision.RetryAfter(Duration.ofSeconds(7)));
    assertThat(p.maxAttempts(ErrorClass.RECOVERABLE)).isEqualTo(2);
  }

  @Test
  void aSettingThePresetIgnoresFailsAndIsNamed() {
    DlqProperties.Retry r = retry("conservative");
    r.setMaxAttempts(9);
    assertThatThrownBy(() -> RetryPolicies.of("orders", r)).isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("dlq.queues.orders.retry.max-attempts does not apply to preset conservative");
    assertThatThrownBy(() -> RetryPolicies.of("orders", retry("forever"))).isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("preset must be conservative, aggressive, none, fixed or exponential but was forever");
  }

  @Test
  void dispatchByTypeAndAnUnknownTypeIsInvalid() throws Exception {
    TypeDispatch d = new TypeDispatch("orders", Map.of("order.created", m -> Outcome.success()));

    assertThat(d.process(message("order.created", 1))).isEqualTo(Outcome.success());
    assertThatThrownBy(() -> d.process(message("order.shipped", 1))).isInstanceOf(InvalidMessageException.class)
        .hasMessage("no processor for type order.shipped on queue orders; types with a @DlqProcessor: [order.created]");
  }

  @Test
  void theFailureReportNamesTheSpringFixAndIsRegistered() {
    SchemaMissingException missing = new SchemaMissingException("billing", List.of("V1__tasks.sql"));
    FailureAnalysis report = new SchemaMissingFailureAnalyzer().analyze(new IllegalStateException("startup", missing));

    assertThat(report.getDescription()).contains("schema billing").contains("V1__tasks.sql");
    assertThat(report.getAction()).contains("dlq.postgres.migrate=true").contains("--schema billing");
    // Boot's own analyzers want constructor arguments; skip those, ours has none
    assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(FailureAnalyzer.class, null, (t, name, e) -> {}))
        .anyMatch(a -> a instanceof SchemaMissingFailureAnalyzer);
  }
}
