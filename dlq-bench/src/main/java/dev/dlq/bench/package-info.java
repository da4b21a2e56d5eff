/**
 * dlq benchmarks: JMH benchmarks ({@code *Benchmark}, run through {@code benchmarks.jar}) and the
 * end-to-end drain command {@link dev.dlq.bench.Drain}. Audience: performance engineers; see
 * docs/benchmarks.md for the figures and how to rerun them.
 */
package dev.dlq.bench;
