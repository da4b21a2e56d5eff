package dev.dlq.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedriveRequestTest {
  @Test
  void factoriesSelectWhatTheySay() {
    assertThat(RedriveRequest.all().byId()).isFalse();
    assertThat(RedriveRequest.all().attributes()).isEmpty();
    assertThat(RedriveRequest.ids(List.of("a")).ids()).containsExactly("a");
    assertThat(RedriveRequest.ids(List.of("a")).byId()).isTrue();
    RedriveRequest r = RedriveRequest.matching(Map.of("dlq-type", "x")).asDryRun().withLimit(5);
    assertThat(r.dryRun()).isTrue();
    assertThat(r.limit()).isEqualTo(5);
    assertThat(r.attributes()).containsExactly(Map.entry("dlq-type", "x"));
  }

  @Test
  void badInputIsRefusedClearly() {
    assertThatThrownBy(() -> RedriveRequest.matching(Map.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use all()");
    assertThatThrownBy(() -> RedriveRequest.all().withLimit(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be >= 1 but was 0");
    assertThatThrownBy(() -> RedriveRequest.ids(List.of(" "))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must not be blank");
    assertThatThrownBy(() -> SqsRedrive.builder(null, "u")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("client must not be null");
  }
}
