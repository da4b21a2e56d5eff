package dev.dlq.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.ErrorClass;
import dev.dlq.alerts.AlertRule.Kind;
import dev.dlq.spi.Alert.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertRulesTest {
  static final String FILE = """
      {"rules": [
        {"name": "system-errors", "kind": "error-class", "errorClasses": ["SYSTEM_ERROR"], "notify": ["ops", "mail"]},
        {"name": "user-errors", "kind": "error-class", "errorClasses": ["user_error"], "ownerHeader": "user-id",
         "notify": ["users"], "throttle": "0s"},
        {"name": "rate", "kind": "rate", "count": 10, "window": "1m", "type": "chart", "severity": "critical"},
        {"name": "unresolved-24h", "kind": "oldest", "olderThan": "24h"},
        {"name": "new-group", "kind": "new-group", "throttle": "PT1H"},
        {"name": "again", "kind": "reopened", "errorType": "java.io.IOException"},
        {"name": "breaker", "kind": "breaker-open"}
      ]}
      """;

  @Test
  void readsEveryKind(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("alerts.json");
    Files.writeString(f, FILE);
    List<AlertRule> rules = AlertRules.load(f);
    assertThat(rules).extracting(AlertRule::kind).containsExactly(Kind.ERROR_CLASS, Kind.ERROR_CLASS, Kind.RATE,
        Kind.OLDEST, Kind.NEW_GROUP, Kind.REOPENED, Kind.BREAKER_OPEN);
    assertThat(rules.get(0)).isEqualTo(AlertRule.errorClass("system-errors", ErrorClass.SYSTEM_ERROR).withNotify("ops", "mail"));
    assertThat(rules.get(0).severity()).isEqualTo(Severity.CRITICAL);
    assertThat(rules.get(1).ownerHeader()).contains("user-id");
    assertThat(rules.get(1).errorClasses()).isEqualTo(Set.of(ErrorClass.USER_ERROR));
    assertThat(rules.get(1).throttle()).isZero();
    assertThat(rules.get(1).severity()).isEqualTo(Severity.INFO);
    assertThat(rules.get(2)).isEqualTo(AlertRule.rate("rate", 10, Duration.ofMinutes(1)).withType("chart")
        .withSeverity(Severity.CRITICAL));
    assertThat(rules.get(3).window()).isEqualTo(Duration.ofHours(24));
    assertThat(rules.get(4).throttle()).isEqualTo(Duration.ofHours(1));
    assertThat(rules.get(5).errorType()).isEqualTo(Optional.of("java.io.IOException"));
    assertThat(rules.get(6).channels()).containsExactly("ops");
  }

  @Test
  void badFilesGetOneClearLineNamingTheRuleAndKey() {
    assertThatThrownBy(() -> AlertRules.parse("{\"rules\": [{\"name\": \"r\", \"kind\": \"rate\", \"count\": 1,"
        + " \"window\": \"1m\", \"olderThan\": \"1h\"}]}"))
        .hasMessage("rules[0] (r): unknown key 'olderThan' for kind rate");
    assertThatThrownBy(() -> AlertRules.parse("{\"rules\": [{\"name\": \"r\", \"kind\": \"sometimes\"}]}"))
        .hasMessageStartingWith("rules[0] (r): kind must be one of [breaker-open, error-class, new-group, oldest, rate, reopened]");
    assertThatThrownBy(() -> AlertRules.parse("{\"rules\": [{\"name\": \"r\", \"kind\": \"oldest\", \"olderThan\": \"soon\"}]}"))
        .hasMessage("rules[0] (r): olderThan must be a duration like 30s, 15m, 24h, 7d or PT15M but was soon");
    assertThatThrownBy(() -> AlertRules.parse("{\"rules\": [{\"name\": \"r\", \"kind\": \"reopened\"},"
        + " {\"name\": \"r\", \"kind\": \"reopened\"}]}")).hasMessage("rules[1] (r): duplicate name");
    assertThatThrownBy(() -> AlertRules.parse("{\"rules\": [{\"name\": \"r\", \"kind\": \"error-class\","
        + " \"errorClasses\": [\"FATAL\"]}]}"))
        .hasMessage("rules[0] (r): errorClasses must be one of [RECOVERABLE, USER_ERROR, SYSTEM_ERROR, UNKNOWN] but was FATAL");
    assertThatThrownBy(() -> AlertRules.parse("{\"rule\": []}")).hasMessage("rules: unknown key 'rule' (expected only 'rules')");
    assertThatThrownBy(() -> AlertRules.parse("[1")).hasMessageStartingWith("rules: not a JSON object");
    assertThatThrownBy(() -> AlertRules.parse("{\"rules\": [{\"name\": \"a b\", \"kind\": \"reopened\"}]}"))
        .hasMessage("rules[0] (a b): name must be 1 to 64 letters, digits, '-', '_' or '.' but was a b");
    assertThatThrownBy(() -> AlertRules.parse("{\"rules\": [{\"name\": \"r\", \"kind\": \"rate\", \"count\": -1,"
        + " \"window\": \"1m\"}]}")).hasMessage("rules[0] (r): count must be an integer >= 0");
  }
}
