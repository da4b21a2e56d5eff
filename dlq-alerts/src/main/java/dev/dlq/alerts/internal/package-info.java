/** Internal: throttling, samples, JSON and HMAC helpers of dlq-alerts. Not exported. */
package dev.dlq.alerts.internal;
