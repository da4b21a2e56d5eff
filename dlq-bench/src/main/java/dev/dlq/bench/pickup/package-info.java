/**
 * The systems {@link dev.dlq.bench.Pickup} measures: each starts idle, takes one sample at a time
 * and reports when its processor starts on it.
 */
package dev.dlq.bench.pickup;
