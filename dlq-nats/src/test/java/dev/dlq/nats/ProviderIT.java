package dev.dlq.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.DeadLetterFilter;
import dev.dlq.Dlq;
import dev.dlq.DlqException;
import dev.dlq.Outcome;
import dev.dlq.RetryPolicy;
import dev.dlq.Worker;
import dev.dlq.spi.DeadLetterStore;
import dev.dlq.spi.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "nats" provider through {@link Dlq}, from string settings only. */
class ProviderIT extends NatsITBase {

  @Test
  void sourceAndStoreFromSettings() throws Exception {
    extraStreams.add("DLQ_MAXDELIVER_" + stream + "_prov");
    publish("bad", "x".getBytes(StandardCharsets.UTF_8), Map.of());
    String url = NatsTestServer.url();
    Source source = closeLater(Dlq.source("nats", Map.of("servers", url, "stream", stream, "consumer", "prov",
        "subjectPrefix", prefix, "ackWait", "5s", "maxDeliver", "5", "filterSubject", prefix + ".events.>")));
    DeadLetterStore store = closeLater(Dlq.store("nats", Map.of("servers", url, "subjectPrefix", prefix)));
    closeLater(Worker.builder(source, m -> Outcome.deadLetter("no")).retryPolicy(RetryPolicy.none()).sink(store)
        .pollWait(Duration.ofMillis(300)).build()).start();
    await(() -> store.count(DeadLetterFilter.all()) == 1, Duration.ofSeconds(30), "the dead letter");
    assertThat(source.lease()).isEqualTo(Duration.ofSeconds(5));
    assertThat(consumer("prov").getConsumerConfiguration().getMaxDeliver()).isEqualTo(5);
    assertThat(Dlq.sourceProviders()).contains("nats");
    assertThat(Dlq.storeProviders()).contains("nats");
    assertThat(Dlq.sinkProviders()).contains("nats");
  }

  @Test
  void missingOrMalformedSettingsAreNamed() {
    String url = NatsTestServer.url();
    assertThatThrownBy(() -> Dlq.store("nats", Map.of("servers", url)))
        .isInstanceOf(DlqException.class).hasMessageContaining("subjectPrefix");
    assertThatThrownBy(() -> Dlq.source("nats", Map.of("servers", url, "stream", stream)))
        .isInstanceOf(DlqException.class).hasMessageContaining("consumer");
    assertThatThrownBy(() -> Dlq.source("nats", Map.of("servers", url, "stream", stream, "consumer", "c",
        "ackWait", "soon"))).isInstanceOf(DlqException.class).hasMessageContaining("ackWait");
    assertThatThrownBy(() -> Dlq.source("nats", Map.of("servers", url, "stream", stream, "consumer", "c",
        "typeRule", "guess"))).isInstanceOf(DlqException.class).hasMessageContaining("guess");
    assertThatThrownBy(() -> Dlq.store("nats", Map.of("servers", url, "subjectPrefix", "a.*")))
        .isInstanceOf(DlqException.class).hasMessageContaining("subjectPrefix");
  }
}
