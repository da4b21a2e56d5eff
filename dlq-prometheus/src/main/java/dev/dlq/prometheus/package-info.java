/** For users: dlq's metrics on a Prometheus registry ({@link dev.dlq.prometheus.DlqMetrics}). */
package dev.dlq.prometheus;
