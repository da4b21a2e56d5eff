/**
 * dlq's metrics on the Prometheus Java client 1.x: {@link dev.dlq.prometheus.DlqMetrics}, a
 * {@link dev.dlq.spi.DlqObserver} that keeps the {@code dlq_*} series on a registry.
 */
module dev.dlq.prometheus {
  requires transitive dev.dlq;
  requires transitive io.prometheus.metrics.core;
  requires transitive io.prometheus.metrics.model;

  exports dev.dlq.prometheus;
}
