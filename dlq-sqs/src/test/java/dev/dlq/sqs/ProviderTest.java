package dev.dlq.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.Dlq;
import dev.dlq.DlqException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "sqs" provider's discovery and its errors for bad settings (no server needed: they fail before any call). */
class ProviderTest {
  private static final Map<String, String> LOCAL = Map.of("endpoint", "http://127.0.0.1:1", "region", "us-east-1",
      "accessKeyId", "x", "secretAccessKey", "x");

  @Test
  void isFoundByName() {
    assertThat(Dlq.sourceProviders()).contains("sqs");
    assertThat(Dlq.sinkProviders()).contains("sqs");
    assertThat(Dlq.storeProviders()).doesNotContain("sqs");
  }

  @Test
  void aSourceNeedsAQueue() {
    assertThatThrownBy(() -> Dlq.source("sqs", LOCAL)).isInstanceOf(DlqException.class)
        .hasMessageContaining("'queueUrl' or 'queue'").hasMessageContaining("endpoint");
  }

  @Test
  void aSinkNeedsADeadLetterQueue() {
    assertThatThrownBy(() -> Dlq.sink("sqs", LOCAL)).isInstanceOf(DlqException.class)
        .hasMessageContaining("'dlqUrl' or 'dlq'");
  }

  @Test
  void malformedSettingsAreNamed() {
    Map<String, String> badLease = new java.util.HashMap<>(LOCAL);
    badLease.put("queueUrl", "http://127.0.0.1:1/000000000000/q");
    badLease.put("lease", "soon");
    assertThatThrownBy(() -> Dlq.source("sqs", badLease)).isInstanceOf(DlqException.class)
        .hasMessageContaining("'lease'").hasMessageContaining("soon");

    badLease.put("lease", "500ms");
    assertThatThrownBy(() -> Dlq.source("sqs", badLease)).isInstanceOf(DlqException.class)
        .hasMessageContaining("lease must be");

    badLease.put("lease", "10s");
    badLease.put("completion", "later");
    assertThatThrownBy(() -> Dlq.source("sqs", badLease)).isInstanceOf(DlqException.class)
        .hasMessageContaining("'completion'").hasMessageContaining("sync or async").hasMessageContaining("later");

    badLease.put("completion", "sync");
    badLease.put("receiveConcurrency", "0");
    assertThatThrownBy(() -> Dlq.source("sqs", badLease)).isInstanceOf(DlqException.class)
        .hasMessageContaining("receiveConcurrency");

    Map<String, String> badEndpoint = new java.util.HashMap<>(LOCAL);
    badEndpoint.put("endpoint", "not a uri");
    badEndpoint.put("queueUrl", "http://127.0.0.1:1/000000000000/q");
    assertThatThrownBy(() -> Dlq.source("sqs", badEndpoint)).isInstanceOf(DlqException.class)
        .hasMessageContaining("endpoint must be a URI");

    Map<String, String> noSecret = new java.util.HashMap<>(LOCAL);
    noSecret.remove("secretAccessKey");
    noSecret.put("queueUrl", "http://127.0.0.1:1/000000000000/q");
    assertThatThrownBy(() -> Dlq.source("sqs", noSecret)).isInstanceOf(DlqException.class)
        .hasMessageContaining("'secretAccessKey'");
  }

  @Test
  void aReadyClientIsUsed() {
    try (var client = SqsClients.create("http://127.0.0.1:1", "us-east-1", "x", "x")) {
      var source = Dlq.source("sqs", Map.of("client", client, "queueUrl", "http://127.0.0.1:1/000000000000/orders",
          "type", "order"));
      assertThat(source.name()).isEqualTo("orders");
      assertThat(source.lease()).isEqualTo(java.time.Duration.ofSeconds(30));
      source.close();
    }
  }
}
