/** In-memory JMH benchmarks: the decision path, the JSON form of a dead letter, the engine's own cost. */
package dev.dlq.bench.memory;
