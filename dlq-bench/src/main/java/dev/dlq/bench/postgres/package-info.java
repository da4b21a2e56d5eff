/** JMH benchmarks of dlq's PostgreSQL task table through its public API, against a real server. */
package dev.dlq.bench.postgres;
