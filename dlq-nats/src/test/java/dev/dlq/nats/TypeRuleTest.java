package dev.dlq.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.DlqException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeRuleTest {

  @Test
  void defaultsReadTheHeaderThenTheLastToken() {
    TypeRule r = TypeRule.defaults();
    assertThat(r.typeOf("sahool.analysis.soil_ready", Map.of())).isEqualTo("soil_ready");
    assertThat(r.typeOf("sahool.analysis.soil_ready", Map.of(NatsHeaders.TYPE, "crop.alert"))).isEqualTo("crop.alert");
    assertThat(r.typeOf("sahool.analysis.x", Map.of(NatsHeaders.TYPE, " "))).isEqualTo("x");
  }

  @Test
  void subjectRules() {
    assertThat(TypeRule.token(1).typeOf("a.b.c", Map.of())).isEqualTo("b");
    assertThat(TypeRule.token(-2).typeOf("a.b.c", Map.of())).isEqualTo("b");
    assertThat(TypeRule.token(5).typeOf("a.b.c", Map.of())).isNull();
    assertThat(TypeRule.token(0).typeOf("a.b.c", Map.of())).isEqualTo("a");
    assertThat(TypeRule.token(2).typeOf("a.b.c", Map.of())).isEqualTo("c");
    assertThat(TypeRule.token(-4).typeOf("a.b.c", Map.of())).isNull();
    assertThat(TypeRule.token(1).typeOf("a..c", Map.of())).as("an empty token is no type").isNull();
    assertThat(TypeRule.lastToken().typeOf("a.b.", Map.of())).isNull();
    assertThat(TypeRule.lastToken().typeOf("single", Map.of())).isEqualTo("single");
    assertThat(TypeRule.subject().typeOf("a.b.c", Map.of())).isEqualTo("a.b.c");
    assertThat(TypeRule.afterPrefix("orders").typeOf("orders.eu.created", Map.of())).isEqualTo("eu.created");
    assertThat(TypeRule.afterPrefix("orders").typeOf("billing.created", Map.of())).isNull();
    assertThat(TypeRule.header("x-type").typeOf("a", Map.of())).isNull();
  }

  @Test
  void parseBuildsAChainAndNamesWhatItCannotRead() {
    TypeRule r = TypeRule.parse("header:x-type, after:app, subject");
    assertThat(r.typeOf("app.order.created", Map.of())).isEqualTo("order.created");
    assertThat(r.typeOf("other.thing", Map.of())).isEqualTo("other.thing");
    assertThat(r.typeOf("other.thing", Map.of("x-type", "t"))).isEqualTo("t");
    assertThat(TypeRule.parse("token:0").typeOf("a.b", Map.of())).isEqualTo("a");
    assertThat(TypeRule.parse("last-token").typeOf("a.b", Map.of())).isEqualTo("b");
    assertThatThrownBy(() -> TypeRule.parse("header:x,guess")).isInstanceOf(DlqException.class)
        .hasMessageContaining("'guess'");
    assertThatThrownBy(() -> TypeRule.parse("token:x")).isInstanceOf(DlqException.class).hasMessageContaining("token:x");
    assertThatThrownBy(() -> TypeRule.parse(" ")).isInstanceOf(DlqException.class);
  }
}
