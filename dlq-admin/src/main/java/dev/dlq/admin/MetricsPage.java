package dev.dlq.admin;

import com.sun.net.httpserver.HttpExchange;
import dev.dlq.DeadLetterFilter;
import dev.dlq.DeadLetterStatus;
import dev.dlq.prometheus.DlqMetrics;
import dev.dlq.spi.DlqGauge;
import java.util.List;
import java.util.Locale;
import dev.dlq.spi.DeadLetterStore;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

/** {@code /metrics}: the Prometheus text format, with the dead letters counted by status at scrape time. */
final class MetricsPage {
  private final DeadLetterStore store;
  private final DlqMetrics metrics;
  private volatile Map<DeadLetterStatus, Long> counts = Map.of();

  MetricsPage(DeadLetterStore store, DlqMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
    for (DeadLetterStatus st : DeadLetterStatus.values()) {
      metrics.gauge(DlqGauge.DEAD_LETTERS, List.of("admin", st.name().toLowerCase(Locale.ROOT)),
          () -> counts.getOrDefault(st, 0L));
    }
  }

  void send(HttpExchange ex) throws IOException {
    Map<DeadLetterStatus, Long> byStatus = new EnumMap<>(DeadLetterStatus.class);
    for (DeadLetterStatus s : DeadLetterStatus.values()) {
      byStatus.put(s, 0L);
    }
    byStatus.putAll(store.stats(DeadLetterFilter.all()).byStatus());
    counts = byStatus; // read by the dlq_dead_letters gauge during the scrape below
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, metrics.registry().scrape());
    Http.send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", out.toByteArray());
  }
}
