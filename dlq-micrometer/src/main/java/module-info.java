/**
 * dlq's metrics on Micrometer: {@link dev.dlq.micrometer.MicrometerDlqMetrics}, a
 * {@link dev.dlq.spi.DlqObserver} that registers {@code dlq.*} meters on a {@code MeterRegistry}.
 */
module dev.dlq.micrometer {
  requires transitive dev.dlq;
  requires transitive micrometer.core;

  exports dev.dlq.micrometer;
}
