/** For users: dlq's metrics on a Micrometer registry ({@link dev.dlq.micrometer.MicrometerDlqMetrics}). */
package dev.dlq.micrometer;
